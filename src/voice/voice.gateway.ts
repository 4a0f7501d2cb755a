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
import { FLEET_SESSIONS } from '../fleet/fleet-tokens';
import type { FleetVoiceSessions } from '../fleet/sessions/fleet-voice-sessions';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { sessionIdPrefix } from '../logging/session-id-prefix';
import { VOICE_CATALOG } from '../upstream/upstream-tokens';
import { STT_POOL, TTS_POOL } from '../speech-pools/pool-tokens';
import { POOLS_MODULE_OPTIONS, type PoolsModuleOptions } from '../speech-pools/pools-module-options';
import type { ResourcePool } from '../pools/resource-pool';
import {
  CLIENT_EVENTS,
  DEFAULT_TTS_FORMAT,
  sttStartSchema,
  sttStopSchema,
  ttsCancelSchema,
  ttsSynthesizeSchema,
  type ErrorBody,
  type ErrorEvent,
  type SessionDisplaced,
  type SessionMoving,
  type SessionReady,
} from '../protocol';
import { SttStream } from '../recognition/stt-stream';
import type { SttResultSink } from '../recognition/stt-result-sink';
import { RECOGNIZER_SAMPLE_RATE } from '../speech/audio-format';
import type { SttClient } from '../speech/stt-client';
import type { TtsClient } from '../speech/tts-client';
import type { VoiceCatalog } from '../speech/voice-catalog';
import { DISCONNECTED, SHUTTING_DOWN, isAbortReason, replyFor } from '../synthesis/abort-reason';
import { DEFAULT_AUDIO_LIMITS, maxAudioBytesFor, type AudioLimits } from '../synthesis/audio-limits';
import { badRequest, rateLimited, shuttingDown, toErrorBody } from '../synthesis/error-body';
import { PooledSynthesizerLease } from '../synthesis/pooled-synthesizer-lease';
import { SynthesisJob } from '../synthesis/synthesis-job';
import { prepareSsml, type InputChecks } from '../synthesis/synthesis-input';
import type { SynthesizerLease } from '../synthesis/synthesizer-lease';
import { DISABLED_TRACING } from '../tracing/noop-tracing';
import { Tracing, type SessionSpan } from '../tracing/tracing';
import { closeConnections } from './close-connections';
import { SessionSynthesizerLease } from './session-synthesizer-lease';
import { SocketAudioSink } from './socket-audio-sink';
import { sendBufferBytes } from './socket-send-buffer';
import { TokenBucket } from '../access/token-bucket';
import { VoiceAuthenticator, handshakeSessionId } from '../access/api-key-auth';
import { failedAck } from './voice-errors';
import { VOICE_IO_CONFIGURED } from './voice-io.adapter';
import { VoiceMetrics, type VoiceEvent } from './voice-metrics';
import { ANSWER_ALLOWANCE_BYTES, VOICE_SETTINGS, type VoiceSettings } from './voice-options';
import { parseAudioFrame, parsePayload } from './parse-payload';
import type { VoiceSession } from './voice-session';
import { VoiceSessions } from './voice-sessions';

/** What the gateway keeps per socket. */
interface VoiceConnection {
  socket: Socket;
  session: VoiceSession;
  requests: TokenBucket;
  audio: TokenBucket;
  /** The connection's `voice.session` span: parent of its syntheses and recognitions. */
  span: SessionSpan;
}

type Reply = (response: unknown) => void;

/** The events a client may send; anything else is refused (and still counted against the request rate). */
const KNOWN_EVENTS: ReadonlySet<string> = new Set(CLIENT_EVENTS);

/** Server-side event between replicas (Socket.IO Redis adapter): a session was resumed on the sender. */
const SESSION_MOVED = 'fleet:session-moved';

/** How long aborted work may take to answer before the sockets are closed at shutdown. */
const ABORT_SETTLE_MS = 250;
/** How long closed connections get to finish their close handshake before their sockets are destroyed. */
const CLOSE_HANDSHAKE_MS = 250;

/** The requestId a payload names, if any (for error events about requests that could not be parsed). */
function looseRequestId(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Buffer.isBuffer(data)) return undefined;
  const id = (data as { requestId?: unknown }).requestId;
  return typeof id === 'string' && id.length <= 64 ? id : undefined;
}

function connectError(body: ErrorBody): Error {
  // The client sees `err.message` (the code) and `err.data` (the details).
  return Object.assign(new Error(body.code), { data: body });
}

/**
 * The voice API (docs/protocol.md): Socket.IO namespace `/voice`. Handshake auth, sessions that survive a
 * reconnect within the grace, streaming synthesis on the session's DEDICATED synthesizer, recognition on
 * single-use recognizers, per-connection limits, and a typed ack for every failure. Handlers never throw:
 * whatever a client sends, it gets an answer (unless it stopped reading), and pool resources always go back.
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
  /** Fleet mode: connections taking over a session that lives on another replica. */
  private readonly adopting = new WeakSet<Socket>();
  private readonly audioLimits: AudioLimits;
  private readonly inputChecks: InputChecks;
  private draining = false;
  private readonly tracing: Tracing;

  constructor(
    @Inject(VOICE_SETTINGS) private readonly settings: VoiceSettings,
    @Inject(TTS_POOL) private readonly ttsPool: ResourcePool<TtsClient>,
    @Inject(STT_POOL) private readonly sttPool: ResourcePool<SttClient>,
    @Inject(POOLS_MODULE_OPTIONS) private readonly poolsOptions: PoolsModuleOptions,
    private readonly sessions: VoiceSessions,
    private readonly metrics: VoiceMetrics,
    @Optional() shutdown?: ShutdownState,
    @Optional() @Inject(VOICE_CATALOG) voices?: VoiceCatalog,
    @Optional() @Inject(FLEET_SESSIONS) private readonly fleet?: FleetVoiceSessions,
    // Absent in a module built without TracingModule (test harnesses): then tracing is off.
    @Optional() tracing?: Tracing,
  ) {
    this.tracing = tracing ?? DISABLED_TRACING;
    this.auth = new VoiceAuthenticator(settings.apiKeys);
    this.audioLimits = {
      maxAudioMs: poolsOptions.tts.maxAudioMs ?? DEFAULT_AUDIO_LIMITS.maxAudioMs,
      maxAudioBytes: poolsOptions.tts.maxAudioBytes ?? DEFAULT_AUDIO_LIMITS.maxAudioBytes,
    };
    // A voice the upstream does not list is refused up front; when it could not list its voices, it decides.
    this.inputChecks = {
      limits: this.audioLimits,
      ...(voices === undefined ? {} : { knownVoice: (name: string) => voices.has(name) !== false }),
    };
    // Readiness and the gateway turn away new work at the same moment.
    shutdown?.onShutdown(() => {
      this.draining = true;
      this.announceMoving();
    });
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
      const requested = handshakeSessionId(socket.handshake.auth);
      if (this.fleet === undefined || requested === undefined) return next();
      // Fleet mode: the session may live on another replica; the fleet says whether this connection takes it over.
      this.fleet.movingFrom(requested, result.principal).then(
        (from) => {
          if (from !== null) this.adopting.add(socket);
          next();
        },
        () => next(),
      );
    });
    if (this.fleet !== undefined) {
      namespace.on(SESSION_MOVED, (moved: { sessionId?: unknown }) => {
        if (typeof moved?.sessionId === 'string') this.movedAway(moved.sessionId);
      });
      this.fleet.onMovedAway((ids) => ids.forEach((id) => this.movedAway(id)));
    }
  }

  handleConnection(socket: Socket): void {
    const principal = this.principals.get(socket);
    if (principal === undefined) {
      // Only reachable if the middleware did not run; never serve an unauthenticated socket.
      socket.disconnect(true);
      return;
    }
    const adopt = this.adopting.has(socket);
    const attached = this.sessions.attach(
      socket.id,
      principal,
      handshakeSessionId(socket.handshake.auth),
      adopt,
    );
    const { session } = attached;
    if (this.fleet !== undefined) {
      this.fleet.attached(attached.sessionId, principal);
      // The replica that held the session lets go of it (and its clients) at once.
      if (adopt) this.namespace.serverSideEmit(SESSION_MOVED, { sessionId: attached.sessionId });
    }
    if (attached.displaced !== null) this.displace(attached.displaced, session);
    const span = this.tracing.startSession(
      attached.sessionId,
      this.tracing.parentFromHandshake(socket.handshake),
    );
    if (attached.resumed) span.setResumed(true);
    const { limits } = this.settings;
    const connection: VoiceConnection = {
      socket,
      session,
      requests: new TokenBucket({ capacity: limits.requestBurst, refillPerSecond: limits.requestsPerSecond }),
      audio: new TokenBucket({
        capacity: limits.audioFrameBurst,
        refillPerSecond: limits.audioFramesPerSecond,
      }),
      span,
    };
    this.connections.set(socket, connection);
    // Every event is charged before any handler runs, so no event — known or not — is free to flood with.
    socket.use((packet, next) => {
      if (this.charge(connection, packet)) next();
    });
    this.metrics.request('connect', attached.resumed ? 'resumed' : 'ok');
    const ready: SessionReady = { sessionId: attached.sessionId, resumed: attached.resumed };
    socket.emit('session.ready', ready);
  }

  handleDisconnect(socket: Socket): void {
    const connection = this.connections.get(socket);
    if (connection === undefined) return;
    this.connections.delete(socket);
    connection.span.end();
    // Only the socket holding the session ends its work (a displaced socket's work was ended at takeover).
    if (this.sessions.detach(connection.session, socket.id)) {
      connection.session.abortWork(DISCONNECTED);
      this.fleet?.detached(connection.session.id, this.settings.sessionResumeGraceMs);
    }
  }

  // ------------------------------------------------------------------ synthesis

  @SubscribeMessage('tts.synthesize')
  onSynthesize(@ConnectedSocket() socket: Socket, @MessageBody() data: unknown, @Ack() ack: unknown): void {
    const admitted = this.admit('tts.synthesize', socket, data, ack, true);
    if (admitted === null) return;
    const { connection, reply } = admitted;
    try {
      if (this.draining) throw shuttingDown();
      const payload = parsePayload(ttsSynthesizeSchema, data);
      const session = connection.session;
      const queue = session.tts;
      if (payload.requestId !== undefined && queue.has(payload.requestId)) {
        throw badRequest(`requestId ${payload.requestId} is already queued or running in this session`);
      }
      const format = payload.format ?? DEFAULT_TTS_FORMAT;
      const voice = payload.voice ?? session.voice ?? this.poolsOptions.tts.voice;
      const ssml = prepareSsml({ ...payload, voice, format }, this.inputChecks);
      if (payload.voice !== undefined) session.voice = payload.voice;
      const requestId = payload.requestId ?? randomUUID();
      // Started on arrival: the time a request waits behind the session's earlier ones is part of it.
      const span = this.tracing.startSynthesis(connection.span, requestId, voice);
      const job = new SynthesisJob(
        this.leaseFor(session),
        new SocketAudioSink(socket, requestId, reply, this.metrics, (e) =>
          this.logInternal('tts.synthesize', e),
        ),
        { requestId, ssml, format, span },
        {
          maxBufferedBytes: this.settings.limits.maxSendBufferBytes,
          maxAudioBytes: maxAudioBytesFor(format, this.audioLimits),
        },
      );
      if (!queue.enqueue(job)) {
        const refused = rateLimited(
          `too many synthesis requests waiting (limit ${this.settings.limits.maxQueuedSyntheses} per session); ` +
            'wait for earlier ones or cancel them',
        );
        span.recordError(refused);
        span.setOutcome(refused.code);
        span.end();
        throw refused;
      }
    } catch (error) {
      this.refuse('tts.synthesize', reply, error);
    }
  }

  @SubscribeMessage('tts.cancel')
  onCancel(@ConnectedSocket() socket: Socket, @MessageBody() data: unknown, @Ack() ack: unknown): void {
    const admitted = this.admit('tts.cancel', socket, data, ack, false);
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
    const admitted = this.admit('stt.start', socket, data, ack, true);
    if (admitted === null) return;
    const { connection, reply } = admitted;
    const session = connection.session;
    try {
      if (this.draining) throw shuttingDown();
      const payload = parsePayload(sttStartSchema, data) ?? {};
      if (session.stt?.active === true) {
        throw badRequest(`recognition ${session.stt.requestId} is still active; send stt.stop first`);
      }
      const requestId = payload.requestId ?? randomUUID();
      const language = payload.language ?? this.poolsOptions.stt.language;
      const stream = new SttStream({
        pool: this.sttPool,
        requestId,
        language,
        sampleRate: payload.sampleRate ?? RECOGNIZER_SAMPLE_RATE,
        sink: this.resultSink(socket),
        maxEarlyAudioBytes: this.settings.limits.maxEarlyAudioBytes,
        span: this.tracing.startRecognition(connection.span, requestId, language),
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
    const admitted = this.admit('stt.stop', socket, data, ack, false);
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

  /**
   * Shutdown, step 2 (before the pools shut down): abort leftovers, close every connection — forcibly when a
   * peer does not finish the close handshake (one that stopped reading never would) — and release sessions.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    this.sessions.abortAll(SHUTTING_DOWN);
    // Aborted work settles at once; let it answer its requests (SHUTTING_DOWN) before the sockets close.
    await this.sessions.drain(ABORT_SETTLE_MS);
    if (this.namespace !== undefined) {
      const destroyed = await closeConnections(this.namespace, CLOSE_HANDSHAKE_MS);
      if (destroyed > 0) {
        this.logger.warn(`destroyed ${destroyed} connection(s) whose peer did not finish closing`);
      }
    }
    await this.sessions.closeAll();
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Charges an incoming event against its connection's rate (audio frames have their own, higher one) before
   * any handler runs. An event over the rate is dropped and answered with RATE_LIMITED; an unknown event is
   * refused with BAD_REQUEST. Returns true when the event may go on to its handler.
   */
  private charge(connection: VoiceConnection, packet: unknown[]): boolean {
    const event = typeof packet[0] === 'string' ? packet[0] : '';
    const last = packet[packet.length - 1];
    const ack = typeof last === 'function' ? (last as Reply) : null;
    const known = KNOWN_EVENTS.has(event);
    const label: VoiceEvent = known ? (event as VoiceEvent) : 'unknown';
    const isAudio = event === 'stt.audio';
    const { limits } = this.settings;
    const bucket = isAudio ? connection.audio : connection.requests;
    if (!bucket.tryTake()) {
      const error = isAudio
        ? rateLimited(
            `too many audio frames (limit ${limits.audioFramesPerSecond}/s); this frame was dropped`,
          )
        : rateLimited(
            `too many requests (limit ${limits.requestsPerSecond}/s, burst ${limits.requestBurst}); retry shortly`,
          );
      this.metrics.request(label, 'RATE_LIMITED');
      if (ack !== null) this.answer(connection.socket, label, ack, failedAck(error));
      else
        this.emitError(
          connection.socket,
          toErrorBody(error),
          isAudio ? connection.session.stt?.requestId : undefined,
        );
      return false;
    }
    if (known) return true;
    this.metrics.request('unknown', 'BAD_REQUEST');
    const error = toErrorBody(
      badRequest(`unknown event ${JSON.stringify(event.slice(0, 40))}; see docs/protocol.md for the events`),
    );
    if (ack !== null) this.answer(connection.socket, label, ack, { ok: false, error });
    else this.emitError(connection.socket, error, undefined);
    return false;
  }

  /**
   * The checks a request passes before its payload is even parsed. Returns null when the request was refused
   * (and answered).
   */
  private admit(
    event: VoiceEvent,
    socket: Socket,
    data: unknown,
    ack: unknown,
    needsAck: boolean,
  ): { connection: VoiceConnection; reply: Reply } | null {
    const hasAck = typeof ack === 'function';
    const reply: Reply = hasAck
      ? (response) => this.answer(socket, event, ack as Reply, response)
      : () => undefined;
    const connection = this.connections.get(socket);
    if (connection === undefined) {
      this.refuse(event, reply, new Error(`${event} from socket ${socket.id} without a session`));
      return null;
    }
    if (!hasAck && needsAck) {
      this.metrics.request(event, 'BAD_REQUEST');
      this.emitError(
        socket,
        toErrorBody(badRequest(`${event} needs an acknowledgement callback; the request was ignored`)),
        looseRequestId(data),
      );
      return null;
    }
    return { connection, reply };
  }

  /**
   * Sends an answer unless the connection stopped reading: answers count against the send-buffer bound, and a
   * connection past it (plus a small allowance) is closed instead of buffering more for a peer that never reads.
   */
  private answer(socket: Socket, event: VoiceEvent, ack: Reply, response: unknown): void {
    if (!this.canSend(socket, event)) return;
    try {
      ack(response);
    } catch (error) {
      this.logInternal(event, error);
    }
  }

  private canSend(socket: Socket, event: VoiceEvent): boolean {
    if (!socket.connected) return false;
    const buffered = sendBufferBytes(socket);
    const limit = this.settings.limits.maxSendBufferBytes + ANSWER_ALLOWANCE_BYTES;
    if (buffered <= limit) return true;
    this.logger.warn(
      `closing a /voice connection that does not read its answers (${buffered} bytes unsent, limit ${limit}, ` +
        `answering ${event})`,
    );
    socket.disconnect(true);
    return false;
  }

  private refuse(event: VoiceEvent, reply: Reply, error: unknown): void {
    const ack = failedAck(error, (e) => this.logInternal(event, e));
    this.metrics.request(event, ack.error.code);
    reply(ack);
  }

  /** A recognition that ended early: aborted (answered as its reason says) or failed (typed ack). */
  private answerAborted(event: VoiceEvent, reply: Reply, error: unknown): void {
    if (!isAbortReason(error)) return this.refuse(event, reply, error);
    const answer = replyFor(error);
    if (answer.kind === 'failed') return this.refuse(event, reply, answer.error);
    this.metrics.request(event, 'canceled');
  }

  /**
   * Another connection of the same principal took the session over (a client reconnecting before its old
   * socket was noticed dead, or someone else resuming the id): the old socket's work ends, and it is told why
   * before it is disconnected.
   */
  private displace(connectionId: string, session: VoiceSession): void {
    session.abortWork(DISCONNECTED);
    const old = this.namespace.sockets.get(connectionId);
    this.metrics.request('connect', 'displaced');
    this.logger.log(`session ${sessionIdPrefix(session.id)} was resumed by another connection`);
    if (old === undefined) return;
    const displaced: SessionDisplaced = {
      code: 'SESSION_TAKEN_OVER',
      message: 'another connection resumed this session; this connection is closed',
    };
    old.emit('session.displaced', displaced);
    old.disconnect(true);
  }

  /**
   * Fleet mode: a client resumed this session on another replica. It ends here at once; a connection that still
   * held it is told why and closed. While shutting down, the drain lets its work finish instead.
   */
  private movedAway(sessionId: string): void {
    if (this.draining) return;
    const connectionId = this.sessions.movedAway(sessionId);
    if (connectionId === null) return;
    const old = this.namespace.sockets.get(connectionId);
    if (old === undefined) return;
    const displaced: SessionDisplaced = {
      code: 'SESSION_TAKEN_OVER',
      message: 'this session was resumed on another replica; this connection is closed',
    };
    old.emit('session.displaced', displaced);
    old.disconnect(true);
  }

  /**
   * Fleet mode, shutdown: every client is asked to reconnect (through the load balancer, to another replica)
   * with its session id; requests already sent here still get their answers before the connection closes.
   */
  private announceMoving(): void {
    if (this.fleet === undefined || this.namespace === undefined) return;
    this.fleet.leaving();
    for (const socket of this.namespace.sockets.values()) {
      const connection = this.connections.get(socket);
      if (connection === undefined) continue;
      const moving: SessionMoving = { sessionId: connection.session.id };
      socket.emit('session.moving', moving);
    }
  }

  private leaseFor(session: VoiceSession): SynthesizerLease {
    if (!this.poolsOptions.sessionAwareness) {
      return new PooledSynthesizerLease(this.ttsPool, (release) => this.sessions.track(release));
    }
    return new SessionSynthesizerLease(this.ttsPool, this.sessions, session);
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

  private emitError(socket: Socket, body: ErrorBody, requestId: string | undefined): void {
    if (!this.canSend(socket, 'unknown')) return;
    const event: ErrorEvent = {
      code: body.code,
      message: body.message,
      ...(requestId === undefined ? {} : { requestId }),
    };
    socket.emit('error', event);
  }

  private logInternal(event: string, error: unknown): void {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.logger.error(`${event}: unexpected failure: ${detail}`);
  }
}
