import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Access } from '../access/access';
import { ACCESS } from '../access/access.module';
import type { Socket } from 'socket.io';
import type { SessionFleet } from '../fleet/sessions/session-fleet';
import { sessionIdPrefix } from '../logging/session-id-prefix';
import { systemClock, type Clock } from '../pools/clock';
import type { SessionDisplaced } from '../protocol';
import { ByteBudget } from '../recognition/byte-budget';
import { RecognitionService } from '../recognition/recognition.service';
import { DISCONNECTED, SESSION_ENDED } from '../synthesis/abort-reason';
import { SynthesisService } from '../synthesis/synthesis.service';
import { DISABLED_TRACING } from '../tracing/noop-tracing';
import { Tracing, type SessionSpan } from '../tracing/tracing';
import type { Admission } from './handshake-auth';
import { VoiceMetrics } from './voice-metrics';
import { VOICE_CLOCK, VOICE_FLEET, VOICE_SETTINGS, type VoiceSettings } from './voice-options';
import { VoiceSession, type SessionServices } from './voice-session';
import { VoiceSessionRegistry, type SessionEndReason } from './voice-session-registry';

/** One connected socket and the session it holds. */
export interface VoiceConnection {
  readonly socket: Socket;
  readonly session: VoiceSession;
  /** The connection's `voice.session` span: parent of its syntheses and recognitions. */
  readonly span: SessionSpan;
}

/**
 * Every voice session of this process and the connection holding each. A session whose socket is gone keeps its
 * DEDICATED synthesizer for the resume grace; then it goes back to the pool. A connection that takes over a
 * session another connection still holds displaces it: that one's work ends, and it is told why and closed.
 */
@Injectable()
export class VoiceSessions {
  private readonly logger = new Logger('VoiceSessions');
  private readonly registry: VoiceSessionRegistry<VoiceSession>;
  /** By socket id. */
  private readonly connections = new Map<string, VoiceConnection>();
  private readonly tracing: Tracing;

  constructor(
    @Inject(VOICE_SETTINGS) private readonly settings: VoiceSettings,
    private readonly metrics: VoiceMetrics,
    private readonly synthesis: SynthesisService,
    recognition: RecognitionService,
    @Inject(VOICE_FLEET) private readonly fleet: SessionFleet,
    @Inject(ACCESS) access: Access,
    // Absent in a module built without TracingModule (test harnesses): then tracing is off.
    @Optional() tracing?: Tracing,
    @Optional() @Inject(VOICE_CLOCK) clock: Clock = systemClock,
  ) {
    this.tracing = tracing ?? DISABLED_TRACING;
    const services: SessionServices = {
      synthesis,
      recognition,
      limits: settings.limits,
      quotas: access.quotas,
      // One for the process: every session's audio sent before its recognizer runs, together.
      earlyAudio: new ByteBudget(settings.limits.maxEarlyAudioTotalBytes),
      clock,
    };
    this.registry = new VoiceSessionRegistry<VoiceSession>({
      graceMs: settings.sessionResumeGraceMs,
      clock,
      create: (id, principal) => new VoiceSession(id, principal, services),
      onExpired: (session, _id, reason) => this.end(session, reason),
    });
    metrics.countSessionsWith(() => {
      const connected = this.registry.connectedCount;
      return { connected, resumable: this.registry.size - connected };
    });
  }

  get size(): number {
    return this.registry.size;
  }

  /**
   * A connection the handshake admitted gets its session: the one it asked for when that belongs to the same
   * principal (resumed), or when the fleet says it takes it over from another replica (`adopt`); else a new one.
   */
  connect(socket: Socket, admission: Admission): { connection: VoiceConnection; resumed: boolean } {
    const { principal, requested, adopt } = admission;
    const attached = this.registry.attach(socket.id, principal, requested, adopt);
    const { session, resumed } = attached;
    this.fleet.attached(session.id, principal, adopt);
    if (attached.displaced !== null) this.displace(attached.displaced, session);
    const span = this.tracing.startSession(session.id, this.tracing.parentFromHandshake(socket.handshake));
    if (resumed) span.setResumed(true);
    const connection: VoiceConnection = { socket, session, span };
    this.connections.set(socket.id, connection);
    this.metrics.request('connect', resumed ? 'resumed' : 'ok');
    return { connection, resumed };
  }

  connectionOf(socket: Socket): VoiceConnection | undefined {
    const connection = this.connections.get(socket.id);
    return connection?.socket === socket ? connection : undefined;
  }

  /** Every connected socket with its session. */
  connected(): IterableIterator<VoiceConnection> {
    return this.connections.values();
  }

  /** The socket is gone: if it still held its session, the session's work ends and its grace starts. */
  disconnect(socket: Socket): void {
    const connection = this.connectionOf(socket);
    if (connection === undefined) return;
    this.connections.delete(socket.id);
    connection.span.end();
    const { session } = connection;
    // Only the socket holding the session ends its work (a displaced socket's work was ended at takeover).
    if (this.registry.detach(session.id, socket.id)) {
      session.abortWork(DISCONNECTED);
      this.fleet.detached(session.id, this.settings.sessionResumeGraceMs);
    }
  }

  /**
   * Fleet mode: a client resumed this session on another replica. It ends here at once (its clients go back to the
   * pools); a connection that still held it is told why and closed.
   */
  movedAway(sessionId: string): void {
    const connectionId = this.registry.end(sessionId);
    if (connectionId === null || connectionId === undefined) return;
    this.close(connectionId, 'this session was resumed on another replica; this connection is closed');
  }

  /** Ends every session now (shutdown): their synthesizers go back to the pool. */
  endAll(): void {
    this.registry.expireAll();
  }

  /**
   * Another connection of the same principal took the session over (a client reconnecting before its old socket
   * was noticed dead, or someone else resuming the id): the old socket's work ends, and it is told why before it
   * is disconnected.
   */
  private displace(connectionId: string, session: VoiceSession): void {
    session.abortWork(DISCONNECTED);
    this.metrics.request('connect', 'displaced');
    this.logger.log(`session ${sessionIdPrefix(session.id)} was resumed by another connection`);
    this.close(connectionId, 'another connection resumed this session; this connection is closed');
  }

  private close(connectionId: string, message: string): void {
    const old = this.connections.get(connectionId)?.socket;
    if (old === undefined) return;
    const displaced: SessionDisplaced = { code: 'SESSION_TAKEN_OVER', message };
    old.emit('session.displaced', displaced);
    old.disconnect(true);
  }

  private end(session: VoiceSession, reason: SessionEndReason): void {
    this.metrics.sessionEnded(reason);
    this.fleet.ended(session.id);
    session.abortWork(SESSION_ENDED);
    this.synthesis.endSession(session.id);
  }
}
