import { Inject, Logger, type BeforeApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import type { Access } from '../access/access';
import { ACCESS } from '../access/access.module';
import type { SessionFleet } from '../fleet/sessions/session-fleet';
import { ShutdownSequence } from '../lifecycle/shutdown-sequence';
import {
  sttStartSchema,
  sttStopSchema,
  ttsCancelSchema,
  ttsStreamEndSchema,
  ttsStreamStartSchema,
  ttsStreamTextSchema,
  ttsSynthesizeSchema,
  type SessionReady,
} from '../protocol';
import { shuttingDown, toErrorBody } from '../synthesis/error-body';
import { closeConnections } from './close-connections';
import { connectionRateLimits } from './connection-rate-limits';
import { admissionOf, handshakeAuth } from './handshake-auth';
import { looseRequestId, parseAudioFrame, parsePayload } from './parse-payload';
import { SocketAnswers, type Reply } from './socket-answers';
import { SocketAudioSink } from './socket-audio-sink';
import { SocketStreamSink } from './socket-stream-sink';
import { warnUnlessConfigured } from './voice-io.adapter';
import type { VoiceEvent } from './voice-metrics';
import { VOICE_FLEET, VOICE_SETTINGS, type VoiceSettings } from './voice-options';
import { VoiceSessions, type VoiceConnection } from './voice-sessions';

/** How long closed connections get to finish their close handshake before their sockets are destroyed. */
const CLOSE_HANDSHAKE_MS = 250;

/**
 * The voice API (docs/protocol.md), Socket.IO namespace `/voice`: a router. The handshake and the rates (per key;
 * audio per connection) are middleware, sessions and their work belong to VoiceSessions, the speech to the
 * synthesis and recognition services. Handlers never throw: whatever a client sends, it gets an answer (unless it stopped
 * reading), and pool resources always go back.
 */
@WebSocketGateway({ namespace: '/voice' })
export class VoiceGateway
  implements
    OnGatewayInit<Namespace>,
    OnGatewayConnection<Socket>,
    OnGatewayDisconnect<Socket>,
    OnModuleDestroy,
    BeforeApplicationShutdown
{
  @WebSocketServer() private readonly namespace!: Namespace;
  private readonly logger = new Logger('VoiceGateway');

  constructor(
    @Inject(VOICE_SETTINGS) private readonly settings: VoiceSettings,
    private readonly sessions: VoiceSessions,
    private readonly answers: SocketAnswers,
    private readonly shutdown: ShutdownSequence,
    @Inject(VOICE_FLEET) private readonly fleet: SessionFleet,
    @Inject(ACCESS) private readonly access: Access,
  ) {
    // Readiness and the gateway turn away new work at the same moment; in fleet mode the clients move on.
    shutdown.onBegin(() =>
      fleet.leave([...sessions.connected()].map((c) => ({ socket: c.socket, sessionId: c.session.id }))),
    );
  }

  afterInit(namespace: Namespace): void {
    warnUnlessConfigured(namespace, this.logger);
    const { fleet, logger } = this;
    const draining = (): boolean => this.shutdown.draining;
    const { access } = this;
    namespace.use(handshakeAuth({ access, draining, fleet, metrics: this.answers.metrics, logger }));
    fleet.watch(namespace, (id) => {
      // While shutting down, the drain lets a moved session's work finish instead.
      if (!draining()) this.sessions.movedAway(id);
    });
  }

  handleConnection(socket: Socket): void {
    const admission = admissionOf(socket);
    // Only reachable if the middleware did not run; never serve an unauthenticated socket.
    if (admission === undefined) return void socket.disconnect(true);
    const { connection, resumed } = this.sessions.connect(socket, admission);
    const { recognition } = connection.session;
    const caller = { quotas: this.access.quotas, principal: admission.principal };
    const recognitionId = (): string | undefined => recognition.requestId;
    socket.use(connectionRateLimits(socket, this.settings.limits, this.answers, recognitionId, caller));
    const ready: SessionReady = { sessionId: connection.session.id, resumed };
    socket.emit('session.ready', ready);
  }

  handleDisconnect(socket: Socket): void {
    this.sessions.disconnect(socket);
  }

  @SubscribeMessage('tts.synthesize')
  onSynthesize(@ConnectedSocket() socket: Socket, @MessageBody() data: unknown, @Ack() ack: unknown): void {
    this.handle('tts.synthesize', socket, data, ack, ({ session, span }, reply) => {
      const payload = parsePayload(ttsSynthesizeSchema, data);
      const sink = (id: string) => new SocketAudioSink(socket, id, reply, this.answers);
      session.synthesize(payload, sink, span);
    });
  }

  @SubscribeMessage('tts.cancel')
  onCancel(@ConnectedSocket() socket: Socket, @MessageBody() data: unknown, @Ack() ack: unknown): void {
    this.handle('tts.cancel', socket, data, ack, ({ session }, reply) => {
      const { requestId, playedMs } = parsePayload(ttsCancelSchema, data);
      // Idempotent: an unknown id may simply have finished already.
      this.answers.ok('tts.cancel', reply, session.cancel(requestId, playedMs));
    });
  }

  @SubscribeMessage('tts.stream.start')
  onStreamStart(@ConnectedSocket() socket: Socket, @MessageBody() data: unknown, @Ack() ack: unknown): void {
    this.handle('tts.stream.start', socket, data, ack, ({ session, span }, reply) => {
      const payload = parsePayload(ttsStreamStartSchema, data);
      const sink = (id: string) => new SocketStreamSink(socket, id, reply, this.answers);
      session.streamStart(payload, sink, span);
    });
  }

  /** A piece of a stream's text: no ack (a token stream would double its traffic); problems come as `error` events. */
  @SubscribeMessage('tts.stream.text')
  onStreamText(@ConnectedSocket() socket: Socket, @MessageBody() data: unknown): void {
    const received = performance.now();
    const connection = this.sessions.connectionOf(socket);
    if (connection === undefined) return;
    try {
      const { requestId, text } = parsePayload(ttsStreamTextSchema, data);
      connection.session.streamText(requestId, text);
      this.answers.metrics.streamPiece(performance.now() - received);
    } catch (error) {
      const body = toErrorBody(error, (e) => this.answers.logInternal('tts.stream.text', e));
      this.answers.metrics.request('tts.stream.text', body.code);
      this.answers.emitError(socket, body, looseRequestId(data));
    }
  }

  @SubscribeMessage('tts.stream.end')
  onStreamEnd(@ConnectedSocket() socket: Socket, @MessageBody() data: unknown, @Ack() ack: unknown): void {
    this.handle('tts.stream.end', socket, data, ack, ({ session }, reply) => {
      session.streamEnd(parsePayload(ttsStreamEndSchema, data).requestId, reply);
    });
  }

  @SubscribeMessage('stt.start')
  onSttStart(@ConnectedSocket() socket: Socket, @MessageBody() data: unknown, @Ack() ack: unknown): void {
    this.handle('stt.start', socket, data, ack, ({ session, span }, reply) => {
      const sink = this.answers.resultSink(socket);
      session.recognition.start(parsePayload(sttStartSchema, data), sink, span).then(
        (started) => this.answers.ok('stt.start', reply, { ok: true, ...started }),
        (error: unknown) => this.answers.refuseAborted('stt.start', reply, error),
      );
    });
  }

  @SubscribeMessage('stt.audio')
  onSttAudio(@ConnectedSocket() socket: Socket, @MessageBody() data: unknown): void {
    const connection = this.sessions.connectionOf(socket);
    if (connection === undefined) return;
    const { recognition } = connection.session;
    try {
      recognition.write(parseAudioFrame(data));
      this.answers.metrics.request('stt.audio', 'ok');
    } catch (error) {
      const body = toErrorBody(error, (e) => this.answers.logInternal('stt.audio', e));
      this.answers.metrics.request('stt.audio', body.code);
      this.answers.emitError(socket, body, recognition.requestId);
    }
  }

  @SubscribeMessage('stt.stop')
  onSttStop(@ConnectedSocket() socket: Socket, @MessageBody() data: unknown, @Ack() ack: unknown): void {
    this.handle('stt.stop', socket, data, ack, ({ session }, reply) => {
      session.recognition.stop(parsePayload(sttStopSchema, data)?.requestId).then(
        (finals) => this.answers.ok('stt.stop', reply, { ok: true, finals }),
        (error: unknown) => this.answers.refuseAborted('stt.stop', reply, error),
      );
    });
  }

  /** Shutdown, step 1: no new work; running syntheses and recognitions get `drainTimeoutMs` to finish. */
  onModuleDestroy(): Promise<void> {
    return this.shutdown.drain(this.settings.drainTimeoutMs);
  }

  /**
   * Shutdown, step 2 (before the pools shut down): leftovers are stopped and answered, every connection is closed
   * — forcibly when a peer does not finish the close handshake (one that stopped reading never would) — and the
   * sessions end; their synthesizers are back in the pool when this resolves.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.shutdown.stop();
    if (this.namespace !== undefined) {
      const destroyed = await closeConnections(this.namespace, CLOSE_HANDSHAKE_MS);
      if (destroyed > 0) {
        this.logger.warn(`destroyed ${destroyed} connection(s) whose peer did not finish closing`);
      }
    }
    this.sessions.endAll();
    await this.shutdown.settled();
  }

  /**
   * Runs a request handler after the checks every request passes: a connection with a session, an ack where the
   * event needs one (the events that start work), and no new work once shutdown has begun. Whatever the handler
   * throws is answered as a typed failed ack.
   */
  private handle(
    event: VoiceEvent,
    socket: Socket,
    data: unknown,
    ack: unknown,
    handler: (connection: VoiceConnection, reply: Reply) => void,
  ): void {
    const reply = this.answers.replyTo(socket, event, ack);
    const startsWork = event === 'tts.synthesize' || event === 'tts.stream.start' || event === 'stt.start';
    const connection = this.sessions.connectionOf(socket);
    try {
      if (connection === undefined) throw new Error(`${event} from socket ${socket.id} without a session`);
      if (startsWork && typeof ack !== 'function') return this.answers.ackMissing(event, socket, data);
      if (startsWork && this.shutdown.draining) throw shuttingDown();
      handler(connection, reply);
    } catch (error) {
      this.answers.refuse(event, reply, error);
    }
  }
}
