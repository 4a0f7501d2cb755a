import type { AllocationTier } from '../pools/allocation-tier';
import type { TtsClient } from '../speech/tts-client';
import type { LeasedSynthesizer, SynthesisEnd, SynthesizerLease } from '../synthesis/synthesizer-lease';

/** A lease that remembers the tier its synthesizer came from, for the response headers. */
export class TierRecordingLease implements SynthesizerLease {
  private allocated: AllocationTier | null = null;

  constructor(private readonly inner: SynthesizerLease) {}

  get tier(): AllocationTier | null {
    return this.allocated;
  }

  async acquire(signal: AbortSignal): Promise<LeasedSynthesizer> {
    const leased = await this.inner.acquire(signal);
    this.allocated = leased.tier;
    return leased;
  }

  release(client: TtsClient, end: SynthesisEnd): void {
    this.inner.release(client, end);
  }
}
