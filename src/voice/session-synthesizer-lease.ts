import type { ResourcePool } from '../pools/resource-pool';
import type { TtsClient } from '../speech/tts-client';
import type { LeasedSynthesizer, SynthesisEnd, SynthesizerLease } from '../synthesis/synthesizer-lease';
import type { VoiceSession } from './voice-session';
import type { VoiceSessions } from './voice-sessions';

/**
 * A voice session's synthesizer: the session keeps it between requests (DEDICATED) and it is released to the
 * pool only when it cannot serve the session's next request at once — it failed (the pool validates it and
 * destroys a broken one), or its turn was cut short and is still stopping upstream (the session takes a warm one
 * next while this one finishes its turn off to the side).
 */
export class SessionSynthesizerLease implements SynthesizerLease {
  constructor(
    private readonly pool: ResourcePool<TtsClient>,
    private readonly sessions: VoiceSessions,
    private readonly session: VoiceSession,
  ) {}

  async acquire(signal: AbortSignal): Promise<LeasedSynthesizer> {
    // While it runs, the session's synthesizer is not idle: nobody may reclaim it.
    this.sessions.synthesisStarted(this.session);
    try {
      const { resource, tier } = await this.pool.acquireForSession(this.session.id, { signal });
      return { client: resource, tier };
    } catch (error) {
      this.sessions.synthesisEnded(this.session, false);
      throw error;
    }
  }

  release(client: TtsClient, end: SynthesisEnd): void {
    // A failed synthesis may have left the client broken, a cut one may still be running its turn: either way
    // the pool checks it (and lets a running turn end off to the side) while the session moves on.
    const keep = end !== 'failed' && client.isReady() && !client.busy;
    this.sessions.synthesisEnded(this.session, keep);
    if (!keep) this.sessions.track(this.pool.releaseForSession(this.session.id, client));
  }
}
