import { Inject, Injectable, Logger, Optional, type OnModuleDestroy } from '@nestjs/common';
import { FLEET_DEMAND, FLEET_SESSIONS } from '../fleet/fleet-tokens';
import type { FleetVoiceSessions } from '../fleet/sessions/fleet-voice-sessions';
import { TTS_POOL } from '../speech-pools/pool-tokens';
import { POOLS_MODULE_OPTIONS, type PoolsModuleOptions } from '../speech-pools/pools-module-options';
import { systemClock, type Clock, type ClockTimer } from '../pools/clock';
import type { ResourcePool } from '../pools/resource-pool';
import type { TtsClient } from '../speech/tts-client';
import { SESSION_ENDED, type AbortReason } from '../synthesis/abort-reason';
import { VoiceMetrics } from './voice-metrics';
import { VOICE_CLOCK, VOICE_SETTINGS, type VoiceSettings } from './voice-options';
import { VoiceSession } from './voice-session';
import { VoiceSessionRegistry, type AttachResult, type SessionEndReason } from './voice-session-registry';

interface FleetDemand {
  onDemand(listener: (pool: 'tts' | 'stt', count: number) => void): () => void;
}

/**
 * Every voice session of this process, and the pool resources they hold. A session whose socket is gone keeps its
 * DEDICATED synthesizer for the resume grace; then it goes back with `releaseForSession`. Releases are tracked so
 * shutdown (and tests) can wait until the pools' books are settled.
 */
@Injectable()
export class VoiceSessions implements OnModuleDestroy {
  private readonly logger = new Logger('VoiceSessions');
  private readonly registry: VoiceSessionRegistry<VoiceSession>;
  private readonly releases = new Set<Promise<unknown>>();
  /**
   * Sessions holding a DEDICATED synthesizer they are not using right now, least recently used first, with the
   * time (clock.now()) they stopped using it.
   */
  private readonly idleHolders = new Map<string, { session: VoiceSession; since: number }>();
  private readonly maxIdleMs: number;
  private readonly sweepEveryMs: number;
  private sweepTimer: ClockTimer | null = null;
  /** A request is waiting at the TTS pool's cap that no idle synthesizer could be reclaimed for (yet). */
  private waiterUnserved = false;
  private readonly stopListening: () => void;
  private readonly stopFleetDemand: (() => void) | null;

  constructor(
    @Inject(TTS_POOL) private readonly ttsPool: ResourcePool<TtsClient>,
    @Inject(VOICE_SETTINGS) settings: VoiceSettings,
    @Inject(POOLS_MODULE_OPTIONS) poolsOptions: PoolsModuleOptions,
    private readonly metrics: VoiceMetrics,
    @Optional() @Inject(VOICE_CLOCK) private readonly clock: Clock = systemClock,
    @Optional() @Inject(FLEET_DEMAND) fleet?: FleetDemand,
    @Optional() @Inject(FLEET_SESSIONS) private readonly fleetSessions?: FleetVoiceSessions,
  ) {
    // The pool keeps its warm queue fresh, but a session's synthesizer is out of its reach: one idle past the
    // upstream's idle timeout would meet a closed socket (and the SDK's close-crossing-request hang) on the
    // session's next request. Handing it back after SPEECH_POOL_MAX_IDLE puts it where maintenance refreshes it.
    this.maxIdleMs = poolsOptions.maxIdleMs;
    this.sweepEveryMs = Math.max(100, Math.min(30_000, this.maxIdleMs / 4));
    if (Number.isFinite(this.maxIdleMs)) this.scheduleSweep();
    this.registry = new VoiceSessionRegistry<VoiceSession>({
      graceMs: settings.sessionResumeGraceMs,
      clock: this.clock,
      create: (id, principal) => new VoiceSession(id, principal, settings.limits.maxQueuedSyntheses),
      onExpired: (session, _id, reason) => this.end(session, reason),
    });
    // At the cap, a request that starts waiting is served by the least recently used idle synthesizer at once.
    // The event arrives inside the pool's acquire: reclaim after it returns rather than re-entering the pool.
    this.stopListening = ttsPool.onEvent((event) => {
      if (event.kind === 'waiter-queued') queueMicrotask(() => this.serveWaiter());
    });
    // Fleet mode: acquires on other replicas wait for a lease that an idle session synthesizer here holds.
    this.stopFleetDemand =
      fleet?.onDemand((pool, count) => {
        if (pool === 'tts') this.releaseIdleSynthesizers(count);
      }) ?? null;
    metrics.countSessionsWith(() => {
      const connected = this.registry.connectedCount;
      return { connected, resumable: this.registry.size - connected };
    });
  }

  /** A connection authenticated as `principal` gets its session (resumed when it asked for one it owns). */
  attach(
    connectionId: string,
    principal: string,
    requestedId?: string,
    adopt = false,
  ): AttachResult<VoiceSession> {
    return this.registry.attach(connectionId, principal, requestedId, adopt);
  }

  /**
   * Fleet mode: the session was resumed on another replica. It ends here at once (its clients go back to the
   * pools); returns the connection that still held it, if any.
   */
  movedAway(sessionId: string): string | null {
    return this.registry.end(sessionId) ?? null;
  }

  /** The connection is gone; true when it held the session (its grace has started). */
  detach(session: VoiceSession, connectionId: string): boolean {
    return this.registry.detach(session.id, connectionId);
  }

  get size(): number {
    return this.registry.size;
  }

  /** Sessions holding a synthesizer they are not using (for tests and diagnostics). */
  get idleSynthesizers(): number {
    return this.idleHolders.size;
  }

  /** The session's synthesis is running: its synthesizer must not be reclaimed. */
  synthesisStarted(session: VoiceSession): void {
    this.idleHolders.delete(session.id);
  }

  /**
   * The session's synthesis ended; when it still holds its synthesizer, that one is now idle (most recent) —
   * unless a request is waiting at the cap, which then gets it at once.
   */
  synthesisEnded(session: VoiceSession, holdsSynthesizer: boolean): void {
    this.idleHolders.delete(session.id);
    if (!holdsSynthesizer || this.registry.get(session.id) !== session) return;
    if (this.waiterUnserved) {
      const waiting = this.ttsPool.snapshot().pendingAcquires;
      this.waiterUnserved = waiting > 1;
      if (waiting > 0) {
        this.track(this.ttsPool.releaseForSession(session.id));
        return;
      }
    }
    this.idleHolders.set(session.id, { session, since: this.clock.now() });
  }

  /**
   * Gives back every synthesizer its session has not used for SPEECH_POOL_MAX_IDLE (oldest first, so it stops
   * early). Runs on its own every quarter of that time.
   */
  releaseStaleSynthesizers(): void {
    const cutoff = this.clock.now() - this.maxIdleMs;
    for (const [id, { since }] of this.idleHolders) {
      if (since > cutoff) return;
      this.idleHolders.delete(id);
      this.track(this.ttsPool.releaseForSession(id));
    }
  }

  /** Gives back up to `count` synthesizers their sessions are not using, least recently used first. */
  releaseIdleSynthesizers(count: number): void {
    for (const id of [...this.idleHolders.keys()].slice(0, count)) {
      this.idleHolders.delete(id);
      this.track(this.ttsPool.releaseForSession(id));
    }
  }

  onModuleDestroy(): void {
    this.stopListening();
    this.stopFleetDemand?.();
    if (this.sweepTimer !== null) this.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
  }

  /** Keeps a pool release (or any cleanup) in the books until it settles; failures are logged, never thrown. */
  track(work: Promise<unknown>): void {
    const tracked: Promise<unknown> = work
      .catch((error: unknown) => this.logger.error(`releasing a speech client failed: ${String(error)}`))
      .finally(() => this.releases.delete(tracked));
    this.releases.add(tracked);
  }

  /** Resolves once every pending release has settled. */
  async settled(): Promise<void> {
    while (this.releases.size > 0) await Promise.all([...this.releases]);
  }

  /** Waits until no session has work in flight, or `timeoutMs`; true when everything finished in time. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: ClockTimer | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = this.clock.setTimeout(() => resolve(false), timeoutMs);
    });
    const idle = Promise.all(this.registry.sessions().map((s) => s.whenIdle())).then(() => true as const);
    try {
      return await Promise.race([idle, timeout]);
    } finally {
      if (timer !== undefined) this.clock.clearTimeout(timer);
    }
  }

  /** Aborts whatever is still running in every session, for `reason` (shutdown after the drain). */
  abortAll(reason: AbortReason): void {
    for (const session of this.registry.sessions()) session.abortWork(reason);
  }

  /** Ends every session now and waits until their clients are back in the pools. */
  async closeAll(): Promise<void> {
    this.registry.expireAll();
    await this.settled();
  }

  /**
   * A request started waiting at the TTS pool's cap: the least recently used session that is not using its
   * synthesizer gives it up (it goes straight to the waiter; that session allocates again on its next request).
   * With none idle, the next session to finish a synthesis hands its synthesizer over instead of keeping it.
   */
  private serveWaiter(): void {
    const oldest = this.idleHolders.keys().next();
    if (oldest.done === true) {
      this.waiterUnserved = true;
      return;
    }
    this.idleHolders.delete(oldest.value);
    this.track(this.ttsPool.releaseForSession(oldest.value));
  }

  private scheduleSweep(): void {
    this.sweepTimer = this.clock.setTimeout(() => {
      this.releaseStaleSynthesizers();
      this.scheduleSweep();
    }, this.sweepEveryMs);
  }

  private end(session: VoiceSession, reason: SessionEndReason): void {
    this.metrics.sessionEnded(reason);
    this.fleetSessions?.ended(session.id);
    this.idleHolders.delete(session.id);
    session.abortWork(SESSION_ENDED);
    this.track(this.ttsPool.releaseForSession(session.id));
  }
}
