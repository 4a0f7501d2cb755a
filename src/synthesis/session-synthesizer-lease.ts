import type { ResourcePool } from '../pools/resource-pool';
import type { TtsClient } from '../speech/tts-client';
import type { LeasedSynthesizer, SynthesisEnd, SynthesizerLease } from './synthesizer-lease';

/**
 * A voice session's synthesizer: the session keeps it between requests (DEDICATED) and tells the pool when it is
 * not using it, so the pool may lend it to a request waiting at its cap (the session then gets a warm one next
 * time) or hand it back to the warm stack after SPEECH_POOL_MAX_IDLE. It is released outright only when it cannot
 * serve the session's next request at once: it failed (the pool validates it and destroys a broken one), or its
 * turn was cut short and is still stopping upstream (the session takes a warm one next while this one finishes
 * its turn off to the side).
 */
export class SessionSynthesizerLease implements SynthesizerLease {
  constructor(
    private readonly pool: ResourcePool<TtsClient>,
    private readonly sessionId: string,
    /** Sees every pool call in flight (shutdown waits for them). */
    private readonly track: (release: Promise<unknown>) => void,
  ) {}

  async acquire(signal: AbortSignal): Promise<LeasedSynthesizer> {
    const { resource, tier } = await this.pool.acquireForSession(this.sessionId, { signal });
    return { client: resource, tier };
  }

  release(client: TtsClient, end: SynthesisEnd): void {
    const id = this.sessionId;
    // A failed synthesis may have left the client broken, a cut one may still be running its turn: either way
    // the pool checks it (and lets a running turn end off to the side) while the session moves on.
    const keep = end !== 'failed' && client.isReady() && !client.busy;
    this.track(keep ? this.pool.sessionIdle(id) : this.pool.releaseForSession(id, client));
  }
}
