import {
  Inject,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
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
import { randomUUID } from 'node:crypto';
import type { Namespace, Socket } from 'socket.io';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { STT_POOL, TTS_POOL } from '../pools-module/pool-tokens';
import { POOLS_MODULE_OPTIONS, type PoolsModuleOptions } from '../pools-module/pools-module-options';
import type { ResourcePool } from '../pools/resource-pool';
import { RECOGNIZER_SAMPLE_RATE } from '../speech/audio-format';
import type { SttClient } from '../speech/stt-client';
import type { TtsClient } from '../speech/tts-client';
import { DISCONNECTED } from './abort-reasons';
import { sendBufferBytes } from './socket-send-buffer';
import { SttStream, type SttResultSink } from './stt-stream';
import { TokenBucket } from './token-bucket';
import { TtsSynthesisJob, type TtsJobContext } from './tts-synthesis-job';
import { VoiceAuthenticator, handshakeSessionId } from './voice-auth';
import {
  badRequest,
  failedAck,
  rateLimited,
  shuttingDown,
  toErrorBody,
  type VoiceErrorBody,
} from './voice-errors';
import { VOICE_IO_CONFIGURED } from './voice-io.adapter';
import { VoiceMetrics } from './voice-metrics';
import { VOICE_SETTINGS, type VoiceSettings } from './voice-options';
import {
  parseAudioFrame,
  parsePayload,
  sttStartSchema,
  sttStopSchema,
  ttsCancelSchema,
  ttsSynthesizeSchema,
} from './voice-payloads';
import type { VoiceSession } from './voice-session';
import { VoiceSessions } from './voice-sessions';

/** What the gateway keeps per socket. */
interface VoiceConnection {
  socket: Socket;
  session: VoiceSession;
  requests: TokenBucket;
  audio: TokenBucket;
}

type Reply = (response: unknown) => void;

interface Admission {
  /** Requests that start work need an ack to answer; those that stop work are carried out without one. */
  needsAck: boolean;
  /** Counted against the per-connection request rate. */
  rateLimited: boolean;
  /** Refused with SHUTTING_DOWN once shutdown has begun. */
  refusedWhileDraining: boolean;
}

/** How long aborted work may take to answer before its socket is closed at shutdown. */
const ABORT_SETTLE_MS = 1_000;

const STARTS_WORK: Admission = { needsAck: true, rateLimited: true, refusedWhileDraining: true };
const STOPS_WORK: Admission = { needsAck: false, rateLimited: false, refusedWhileDraining: false };

/** The requestId a payload names, if any (for error events about requests that could not be parsed). */
function looseRequestId(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const id = (data as { requestId?: unknown }).requestId;
  return typeof id === 'string' && id.length <= 64 ? id : undefined;
}

function connectError(body: VoiceErrorBody): Error {
  // The client sees `err.message` (the code, as the contract says) and `err.data` (the details).
  return Object.assign(new Error(body.code), { data: body });
}

/**
 * The voice API (CONTRACT §5): Socket.IO namespace `/voice`. Handshake auth, sessions that survive a reconnect
 * within the grace, streaming synthesis on the session's DEDICATED synthesizer, recognition on single-use
 * recognizers, per-connection limits, and a typed ack for every failure. Handlers never throw: whatever a client
 * sends, it gets an answer, and pool resources always go back.
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
  private readonly auth: VoiceAuthenticator;
  private readonly connections = new WeakMap<Socket, VoiceConnection>();
  private readonly principals = new WeakMap<Socket, string>();
  private draining = false;

  constructor(
    @Inject(VOICE_SETTINGS) private readonly settings: VoiceSettings,
    @Inject(TTS_POOL) private readonly ttsPool: ResourcePool<TtsClient>,
    @Inject(STT_POOL) private readonly sttPool: ResourcePool<SttClient>,
    @Inject(POOLS_MODULE_OPTIONS) private readonly poolsOptions: PoolsModuleOptions,
    private readonly sessions: VoiceSessions,
    private readonly metrics: VoiceMetrics,
    @Optional() shutdown?: ShutdownState,
  ) {
    this.auth = new VoiceAuthenticator(settings.apiKeys);
    // Readiness and the gateway turn away new work at the same moment.
    shutdown?.onShutdown(() => (this.draining = true));
  }

  // ------------------------------------------------------------------ connections

  afterInit(namespace: Namespace): void {
    if (Reflect.get(namespace.server, VOICE_IO_CONFIGURED) !== true) {
      this.logger.warn(
        'the Socket.IO server was not created by VoiceIoAdapter: CORS_ORIGINS and the message size bound are ' +
          'not applied (app.useWebSocketAdapter(new VoiceIoAdapter(app)))',
      );
    }
    if (!this.auth.keysConfigured) {
      this.logger.log('VOICE_API_KEYS is not set: only loopback clients may connect to /voice');
    }
    namespace.use((socket, next) => {
      if (this.draining) return next(connectError(toErrorBody(shuttingDown())));
      const result = this.auth.authenticate(socket.handshake);
      if (!result.ok) {
        this.metrics.request('connect', 'UNAUTHORIZED');
        this.logger.warn(`refused a /voice connection from ${socket.handshake.address}: ${result.reason}`);
        return next(connectError({ code: 'UNAUTHORIZED', message: result.reason, retryable: false }));
      }
      this.principals.set(socket, result.principal);
      next();
    });
  }

  handleConnection(socket: Socket): void {
    const principal = this.principals.get(socket);
    if (principal === undefined) {
      // Only reachable if the middleware did not run; never serve an unauthenticated socket.
      socket.disconnect(true);
      return;
    }
    const attached = this.sessions.attach(socket.id, principal, handshakeSessionId(socket.handshake.auth));
    const { session } = attached;
    if (attached.displaced !== null) {
      // The same client reconnected before we noticed its old socket die: its work dies with that socket.
      session.abortWork(DISCONNECTED);
      this.namespace.sockets.get(attached.displaced)?.disconnect(true);
    }
    const { limits } = this.settings;
    this.connections.set(socket, {
      socket,
      session,
      requests: new TokenBucket({ capacity: limits.requestBurst, refillPerSecond: limits.requestsPerSecond }),
      audio: new TokenBucket({
        capacity: limits.audioFrameBurst,
        refillPerSecond: limits.audioFramesPerSecond,
      }),
    });
    this.metrics.request('connect', attached.resumed ? 'resumed' : 'ok');
    socket.emit('session.ready', { sessionId: attached.sessionId, resumed: attached.resumed });
  }

  handleDisconnect(socket: Socket): void {
    const connection = this.connections.get(socket);
    if (connection === undefined) return;
    this.connections.delete(socket);
    // Only the socket holding the session ends its work (a displaced socket's work was ended at takeover).
    if (this.sessions.detach(connection.session, socket.id)) connection.session.abortWork(DISCONNECTED);
  }

  // ------------------------------------------------------------------ synthesis

  @SubscribeMessage('tts.synthesize')
  onSynthesize(@ConnectedSocket() socket: Socket, @MessageBody() data: unknown, @Ack() ack: unknown): void {
    const admitted = this.admit('tts.synthesize', socket, data, ack, STARTS_WORK);
    if (admitted === null) return;
    const { connection, reply } = admitted;
    try {
      const payload = parsePayload(ttsSynthesizeSchema, data);
      const queue = connection.session.tts;
      if (payload.requestId !== undefined && queue.has(payload.requestId)) {
        throw badRequest(`requestId ${payload.requestId} is already queued or running in this session`);
      }
      const job = new TtsSynthesisJob(this.jobContext(connection, reply), payload);
      if (!queue.enqueue(job)) {
        throw rateLimited(
          `too many synthesis requests waiting (limit ${this.settings.limits.maxQueuedSyntheses} per session); ` +
            'wait for earlier ones or cancel them',
        );
      }
    } catch (error) {
      this.refuse('tts.synthesize', reply, error);
    }
  }

  @SubscribeMessage('tts.cancel')
  onCancel(@ConnectedSocket() socket: Socket, @MessageBody() data: unknown, @Ack() ack: unknown): void {
    const admitted = this.admit('tts.cancel', socket, data, ack, STOPS_WORK);
    if (admitted === null) return;
    try {
      const { requestId } = parsePayload(ttsCancelSchema, data);
      // Idempotent: an unknown id may simply have finished already.
      admitted.connection.session.tts.cancel(requestId);
      this.metrics.request('tts.cancel', 'ok');
      admitted.reply({ ok: true });
    } catch (error) {
      this.refuse('tts.cancel', admitted.reply, error);
    }
  }

  // ------------------------------------------------------------------ recognition

  @SubscribeMessage('stt.start')
  onSttStart(@ConnectedSocket() socket: Socket, @MessageBody() data: unknown, @Ack() ack: unknown): void {
    const admitted = this.admit('stt.start', socket, data, ack, STARTS_WORK);
    if (admitted === null) return;
    const { connection, reply } = admitted;
    const session = connection.session;
    try {
      const payload = parsePayload(sttStartSchema, data) ?? {};
      if (session.stt?.active === true) {
        throw badRequest(`recognition ${session.stt.requestId} is still active; send stt.stop first`);
      }
      const requestId = payload.requestId ?? randomUUID();
      const stream = new SttStream({
        pool: this.sttPool,
        requestId,
        language: payload.language ?? this.poolsOptions.stt.language,
        sampleRate: payload.sampleRate ?? RECOGNIZER_SAMPLE_RATE,
        sink: this.resultSink(socket),
        maxEarlyAudioBytes: this.settings.limits.maxEarlyAudioBytes,
      });
      session.stt = stream;
      this.sessions.track(stream.done);
      stream.start().then(
        (tier) => {
          this.metrics.request('stt.start', 'ok');
          reply({ ok: true, requestId, tier });
        },
        (error: unknown) => {
          if (session.stt === stream) session.stt = null;
          this.answerAborted('stt.start', reply, error);
        },
      );
    } catch (error) {
      this.refuse('stt.start', reply, error);
    }
  }

  @SubscribeMessage('stt.audio')
  onSttAudio(@ConnectedSocket() socket: Socket, @MessageBody() data: unknown): void {
    const connection = this.connections.get(socket);
    if (connection === undefined) return;
    const stream = connection.session.stt;
    try {
      if (!connection.audio.tryTake()) {
        throw rateLimited(
          `too many audio frames (limit ${this.settings.limits.audioFramesPerSecond}/s); this frame was dropped`,
        );
      }
      const frame = parseAudioFrame(data);
      if (stream === null) throw badRequest('no active recognition; send stt.start first');
      stream.write(frame);
      this.metrics.request('stt.audio', 'ok');
    } catch (error) {
      const body = toErrorBody(error, (e) => this.logInternal('stt.audio', e));
      this.metrics.request('stt.audio', body.code);
      this.emitError(socket, body, stream?.requestId);
    }
  }

  @SubscribeMessage('stt.stop')
  onSttStop(@ConnectedSocket() socket: Socket, @MessageBody() data: unknown, @Ack() ack: unknown): void {
    const admitted = this.admit('stt.stop', socket, data, ack, STOPS_WORK);
    if (admitted === null) return;
    const { connection, reply } = admitted;
    const session = connection.session;
    try {
      const payload = parsePayload(sttStopSchema, data) ?? {};
      const stream = session.stt;
      if (stream === null) throw badRequest('no active recognition; send stt.start first');
      if (payload.requestId !== undefined && payload.requestId !== stream.requestId) {
        throw badRequest(
          `requestId ${payload.requestId} is not the active recognition (${stream.requestId})`,
        );
      }
      stream.stop().then(
        (finals) => {
          if (session.stt === stream) session.stt = null;
          this.metrics.request('stt.stop', 'ok');
          reply({ ok: true, finals });
        },
        (error: unknown) => {
          if (session.stt === stream) session.stt = null;
          this.answerAborted('stt.stop', reply, error);
        },
      );
    } catch (error) {
      this.refuse('stt.stop', reply, error);
    }
  }

  // ------------------------------------------------------------------ shutdown

  /** Shutdown, step 1: no new work; running syntheses and recognitions get `drainTimeoutMs` to finish. */
  async onModuleDestroy(): Promise<void> {
    this.draining = true;
    const started = performance.now();
    const drained = await this.sessions.drain(this.settings.drainTimeoutMs);
    const ms = Math.round(performance.now() - started);
    if (drained) this.logger.log(`voice sessions drained in ${ms} ms`);
    else this.logger.warn(`voice work still running after ${ms} ms; aborting it (SHUTTING_DOWN)`);
  }

  /** Shutdown, step 2 (before the pools shut down): abort leftovers, disconnect everyone, release sessions. */
  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    this.sessions.abortAll(shuttingDown());
    // Aborted work settles at once; let it answer its requests (SHUTTING_DOWN) before the sockets close.
    await this.sessions.drain(ABORT_SETTLE_MS);
    this.namespace?.disconnectSockets(true);
    await this.sessions.closeAll();
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The checks every request passes before its payload is even parsed, cheapest first. Returns null when the
   * request was refused (and answered).
   */
  private admit(
    event: string,
    socket: Socket,
    data: unknown,
    ack: unknown,
    admission: Admission,
  ): { connection: VoiceConnection; reply: Reply } | null {
    const hasAck = typeof ack === 'function';
    const reply: Reply = hasAck
      ? (response) => {
          try {
            (ack as Reply)(response);
          } catch (error) {
            this.logInternal(event, error);
          }
        }
      : () => undefined;
    const connection = this.connections.get(socket);
    try {
      if (connection === undefined) throw new Error(`${event} from socket ${socket.id} without a session`);
      if (!hasAck && admission.needsAck) {
        this.metrics.request(event, 'BAD_REQUEST');
        this.emitError(
          socket,
          toErrorBody(badRequest(`${event} needs an acknowledgement callback; the request was ignored`)),
          looseRequestId(data),
        );
        return null;
      }
      if (admission.refusedWhileDraining && this.draining) throw shuttingDown();
      if (admission.rateLimited && !connection.requests.tryTake()) {
        throw rateLimited(
          `too many requests (limit ${this.settings.limits.requestsPerSecond}/s, ` +
            `burst ${this.settings.limits.requestBurst}); retry shortly`,
        );
      }
      return { connection, reply };
    } catch (error) {
      this.refuse(event, reply, error);
      return null;
    }
  }

  private refuse(event: string, reply: Reply, error: unknown): void {
    const ack = failedAck(error, (e) => this.logInternal(event, e));
    this.metrics.request(event, ack.error.code);
    reply(ack);
  }

  /**
   * A request that ended early: aborted for a plain reason (DISCONNECTED, SESSION_ENDED: the socket is gone,
   * nobody to answer) or failed (typed ack, SHUTTING_DOWN included).
   */
  private answerAborted(event: string, reply: Reply, error: unknown): void {
    if (typeof error === 'string') {
      this.metrics.request(event, 'canceled');
      return;
    }
    this.refuse(event, reply, error);
  }

  private jobContext(connection: VoiceConnection, reply: Reply): TtsJobContext {
    const socket = connection.socket;
    return {
      pool: this.ttsPool,
      sessionId: connection.session.id,
      sessionBound: this.poolsOptions.sessionAwareness,
      maxSendBufferBytes: this.settings.limits.maxSendBufferBytes,
      sendBufferBytes: () => sendBufferBytes(socket),
      emitAudio: (requestId, seq, audio) => socket.emit('tts.audio', { requestId, seq, audio }),
      reply: (ack) => {
        if (socket.connected) reply(ack);
      },
      recordOutcome: (outcome) => this.metrics.request('tts.synthesize', outcome),
      recordFirstByte: (tier, ms) => this.metrics.ttsFirstByte(tier, ms),
      logInternal: (error) => this.logInternal('tts.synthesize', error),
      trackRelease: (release) => this.sessions.track(release),
      synthesisStarted: () => this.sessions.synthesisStarted(connection.session),
      synthesisEnded: (holds) => this.sessions.synthesisEnded(connection.session, holds),
      reclaimIdleSynthesizer: () => this.sessions.reclaimIdleSynthesizer(connection.session),
    };
  }

  private resultSink(socket: Socket): SttResultSink {
    return {
      partial: (result) => socket.emit('stt.partial', result),
      final: (result) => socket.emit('stt.final', result),
      error: ({ requestId, ...body }) => {
        this.metrics.request('stt.recognition', body.code);
        this.emitError(socket, body, requestId);
      },
    };
  }

  private emitError(socket: Socket, body: VoiceErrorBody, requestId: string | undefined): void {
    socket.emit('error', {
      code: body.code,
      message: body.message,
      ...(requestId === undefined ? {} : { requestId }),
    });
  }

  private logInternal(event: string, error: unknown): void {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.logger.error(`${event}: unexpected failure: ${detail}`);
  }
}
