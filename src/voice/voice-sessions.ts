import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { FLEET_SESSIONS } from '../fleet/fleet-tokens';
import type { FleetVoiceSessions } from '../fleet/sessions/fleet-voice-sessions';
import { TTS_POOL } from '../speech-pools/pool-tokens';
import { systemClock, type Clock, type ClockTimer } from '../pools/clock';
import type { ResourcePool } from '../pools/resource-pool';
import type { TtsClient } from '../speech/tts-client';
import { SESSION_ENDED, type AbortReason } from '../synthesis/abort-reason';
import { VoiceMetrics } from './voice-metrics';
import { VOICE_CLOCK, VOICE_SETTINGS, type VoiceSettings } from './voice-options';
import { VoiceSession } from './voice-session';
import { VoiceSessionRegistry, type AttachResult, type SessionEndReason } from './voice-session-registry';

/**
 * Every voice session of this process, and the pool resources they hold. A session whose socket is gone keeps its
 * DEDICATED synthesizer for the resume grace; then it goes back with `releaseForSession`. While a session is not
 * speaking its synthesizer is the TTS pool's to lend (see SessionSynthesizerLease). Releases are tracked so
 * shutdown (and tests) can wait until the pools' books are settled.
 */
@Injectable()
export class VoiceSessions {
  private readonly logger = new Logger('VoiceSessions');
  private readonly registry: VoiceSessionRegistry<VoiceSession>;
  private readonly releases = new Set<Promise<unknown>>();

  constructor(
    @Inject(TTS_POOL) private readonly ttsPool: ResourcePool<TtsClient>,
    @Inject(VOICE_SETTINGS) settings: VoiceSettings,
    private readonly metrics: VoiceMetrics,
    @Optional() @Inject(VOICE_CLOCK) private readonly clock: Clock = systemClock,
    @Optional() @Inject(FLEET_SESSIONS) private readonly fleetSessions?: FleetVoiceSessions,
  ) {
    this.registry = new VoiceSessionRegistry<VoiceSession>({
      graceMs: settings.sessionResumeGraceMs,
      clock: this.clock,
      create: (id, principal) => new VoiceSession(id, principal, settings.limits.maxQueuedSyntheses),
      onExpired: (session, _id, reason) => this.end(session, reason),
    });
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

  private end(session: VoiceSession, reason: SessionEndReason): void {
    this.metrics.sessionEnded(reason);
    this.fleetSessions?.ended(session.id);
    session.abortWork(SESSION_ENDED);
    this.track(this.ttsPool.releaseForSession(session.id));
  }
}
