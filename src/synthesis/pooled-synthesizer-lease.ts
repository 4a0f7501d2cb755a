import type { ResourcePool } from '../pools/resource-pool';
import type { TtsClient } from '../speech/tts-client';
import type { LeasedSynthesizer, SynthesisEnd, SynthesizerLease } from './synthesizer-lease';

/**
 * One loan per request: a synthesizer from the pool (WARM, else COLD), given back when the synthesis ends
 * whatever happened. The pool validates it on return: a broken one is destroyed, and one whose canceled turn is
 * still running finishes that turn off to the side before anyone gets it again.
 */
export class PooledSynthesizerLease implements SynthesizerLease {
  constructor(
    private readonly pool: ResourcePool<TtsClient>,
    /** Sees every pool release in flight (shutdown waits for them); failures are reported by the pool. */
    private readonly track: (release: Promise<unknown>) => void = () => undefined,
  ) {}

  async acquire(signal: AbortSignal): Promise<LeasedSynthesizer> {
    const { resource, tier } = await this.pool.acquireForSession(null, { signal });
    return { client: resource, tier };
  }

  release(client: TtsClient, _end: SynthesisEnd): void {
    this.track(this.pool.release(client).catch(() => undefined));
  }
}
