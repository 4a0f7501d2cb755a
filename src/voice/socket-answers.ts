import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import type { ErrorBody, ErrorEvent } from '../protocol';
import type { SttResultSink } from '../recognition/stt-result-sink';
import { isAbortReason, replyFor } from '../synthesis/abort-reason';
import { badRequest, toErrorBody } from '../synthesis/error-body';
import { looseRequestId } from './parse-payload';
import { sendBufferBytes } from './socket-send-buffer';
import { failedAck } from './voice-errors';
import { VoiceMetrics, type VoiceEvent } from './voice-metrics';
import { ANSWER_ALLOWANCE_BYTES, VOICE_SETTINGS, type VoiceSettings } from './voice-options';

/** A request's acknowledgement callback. */
export type Reply = (response: unknown) => void;

/**
 * How the gateway answers: acks, `error` events and result events, each counted in the request metrics, and never
 * more for a connection that stopped reading (back-pressure: answers count against the send-buffer bound, and a
 * connection past it plus a small allowance is closed instead of buffering more for a peer that never reads).
 */
@Injectable()
export class SocketAnswers {
  private readonly logger = new Logger('VoiceGateway');
  private readonly maxUnsentBytes: number;

  constructor(
    @Inject(VOICE_SETTINGS) settings: VoiceSettings,
    readonly metrics: VoiceMetrics,
  ) {
    this.maxUnsentBytes = settings.limits.maxSendBufferBytes + ANSWER_ALLOWANCE_BYTES;
  }

  /** The ack callback of `event` as a Reply that respects the bound; a request without one gets a no-op. */
  replyTo(socket: Socket, event: VoiceEvent, ack: unknown): Reply {
    return typeof ack === 'function'
      ? (response) => this.answer(socket, event, ack as Reply, response)
      : () => undefined;
  }

  /** Sends an answer unless the connection stopped reading. */
  answer(socket: Socket, event: VoiceEvent, ack: Reply, response: unknown): void {
    if (!this.canSend(socket, event)) return;
    try {
      ack(response);
    } catch (error) {
      this.logInternal(event, error);
    }
  }

  /** A request that succeeded: its ack, counted. */
  ok(event: VoiceEvent, reply: Reply, response: object): void {
    this.metrics.request(event, 'ok');
    reply(response);
  }

  /** A request that needs an ack came without one: it is ignored, and the client told so by an `error` event. */
  ackMissing(event: VoiceEvent, socket: Socket, data: unknown): void {
    this.metrics.request(event, 'BAD_REQUEST');
    const refusal = badRequest(`${event} needs an acknowledgement callback; the request was ignored`);
    this.emitError(socket, toErrorBody(refusal), looseRequestId(data));
  }

  /** A request that failed: the typed failed ack, counted with its code. */
  refuse(event: VoiceEvent, reply: Reply, error: unknown): void {
    const ack = failedAck(error, (e) => this.logInternal(event, e));
    this.metrics.request(event, ack.error.code);
    reply(ack);
  }

  /** Work that ended early: aborted (answered as its reason says) or failed (typed ack). */
  refuseAborted(event: VoiceEvent, reply: Reply, error: unknown): void {
    if (!isAbortReason(error)) return this.refuse(event, reply, error);
    const answer = replyFor(error);
    if (answer.kind === 'failed') return this.refuse(event, reply, answer.error);
    this.metrics.request(event, 'canceled');
  }

  /** An `error` event (for events without an ack, and failures outside any request). */
  emitError(socket: Socket, body: ErrorBody, requestId: string | undefined): void {
    if (!this.canSend(socket, 'unknown')) return;
    const event: ErrorEvent = {
      code: body.code,
      message: body.message,
      ...(requestId === undefined ? {} : { requestId }),
    };
    socket.emit('error', event);
  }

  /** A recognition's results as `stt.partial` / `stt.final` events; its failure as an `error` event. */
  resultSink(socket: Socket): SttResultSink {
    return {
      partial: (result) => socket.emit('stt.partial', result),
      final: (result) => socket.emit('stt.final', result),
      error: ({ requestId, ...body }) => {
        this.metrics.request('stt.recognition', body.code);
        this.emitError(socket, body, requestId);
      },
    };
  }

  /** Logs a failure the client is only told was INTERNAL. */
  logInternal(event: string, error: unknown): void {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.logger.error(`${event}: unexpected failure: ${detail}`);
  }

  private canSend(socket: Socket, event: VoiceEvent): boolean {
    if (!socket.connected) return false;
    const buffered = sendBufferBytes(socket);
    if (buffered <= this.maxUnsentBytes) return true;
    this.logger.warn(
      `closing a /voice connection that does not read its answers (${buffered} bytes unsent, limit ` +
        `${this.maxUnsentBytes}, answering ${event})`,
    );
    socket.disconnect(true);
    return false;
  }
}
