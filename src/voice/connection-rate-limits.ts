import type { Socket } from 'socket.io';
import type { CallerQuotas } from '../access/caller-quotas';
import { TokenBucket } from '../access/token-bucket';
import { CLIENT_EVENTS } from '../protocol';
import { badRequest, rateLimited, toErrorBody } from '../synthesis/error-body';
import type { Reply, SocketAnswers } from './socket-answers';
import { looseRequestId } from './parse-payload';
import { failedAck } from './voice-errors';
import type { VoiceEvent } from './voice-metrics';
import type { VoiceLimits } from './voice-options';

/** The events a client may send; anything else is refused (and still counted against the request rate). */
const KNOWN_EVENTS: ReadonlySet<string> = new Set(CLIENT_EVENTS);

type Packet = unknown[];

/**
 * A connection's rates as Socket.IO packet middleware: every event is charged before any handler runs, so no
 * event — known or not — is free to flood with. Requests take from the caller's budget (one per API key, shared
 * by all its connections and the HTTP API); audio frames and the pieces of streamed text have their own, higher
 * rates per connection (a model's reply streamed token by token must not use up the requests' rate, and a flood of
 * pieces is still bounded; how many streams a key runs at once is bounded by VOICE_MAX_CONCURRENT_PER_KEY). An
 * event over its rate is dropped and answered with RATE_LIMITED; an unknown event is refused with BAD_REQUEST.
 * `recognitionId`: the recognition a dropped audio frame belonged to (its `error` event names it).
 */
export function connectionRateLimits(
  socket: Socket,
  limits: VoiceLimits,
  answers: SocketAnswers,
  recognitionId: () => string | undefined,
  caller: { quotas: CallerQuotas; principal: string },
): (packet: Packet, next: (error?: Error) => void) => void {
  const audio = new TokenBucket({
    capacity: limits.audioFrameBurst,
    refillPerSecond: limits.audioFramesPerSecond,
  });
  const pieces = new TokenBucket({
    capacity: limits.streamPieceBurst,
    refillPerSecond: limits.streamPiecesPerSecond,
  });
  return (packet, next) => {
    const event = typeof packet[0] === 'string' ? packet[0] : '';
    const last = packet[packet.length - 1];
    const ack = typeof last === 'function' ? (last as Reply) : null;
    const known = KNOWN_EVENTS.has(event);
    const label: VoiceEvent = known ? (event as VoiceEvent) : 'unknown';
    const isAudio = event === 'stt.audio';
    const isPiece = event === 'tts.stream.text';
    const refusal = isAudio
      ? audio.tryTake()
        ? null
        : `too many audio frames (limit ${limits.audioFramesPerSecond}/s); this frame was dropped`
      : isPiece
        ? pieces.tryTake()
          ? null
          : `too many tts.stream.text pieces (limit ${limits.streamPiecesPerSecond}/s, burst ` +
            `${limits.streamPieceBurst}); this piece was dropped: send larger pieces`
        : takeRequest(caller);
    if (refusal !== null) {
      const error = rateLimited(refusal);
      answers.metrics.request(label, 'RATE_LIMITED');
      const requestId = isAudio ? recognitionId() : isPiece ? looseRequestId(packet[1]) : undefined;
      if (ack !== null) answers.answer(socket, label, ack, failedAck(error));
      else answers.emitError(socket, toErrorBody(error), requestId);
      return;
    }
    if (known) return next();
    answers.metrics.request('unknown', 'BAD_REQUEST');
    const body = toErrorBody(
      badRequest(`unknown event ${JSON.stringify(event.slice(0, 40))}; see docs/protocol.md for the events`),
    );
    if (ack !== null) answers.answer(socket, label, ack, { ok: false, error: body });
    else answers.emitError(socket, body, undefined);
  };
}

/** A request from the caller's shared budget: null when taken, else why not. */
function takeRequest(caller: { quotas: CallerQuotas; principal: string }): string | null {
  const taken = caller.quotas.takeRequest(caller.principal);
  return taken.ok ? null : taken.message;
}
