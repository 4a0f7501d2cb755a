import type { AllocationTier } from '../pools/allocation-tier';
import type { TtsClient } from '../speech/tts-client';

export interface LeasedSynthesizer {
  client: TtsClient;
  tier: AllocationTier;
}

/**
 * How a synthesis ended, which tells the lease what state its client is in:
 * - `completed`: the turn is over and the client is ready for the next one;
 * - `failed`: the turn failed (the client may be broken: the pool validates it on return);
 * - `aborted`: the request stopped early (cancel, disconnect, back-pressure); the upstream turn may still run.
 */
export type SynthesisEnd = 'completed' | 'failed' | 'aborted';

/**
 * How one synthesis gets its synthesizer and gives it back: bound to a voice session (Socket.IO: the session
 * keeps its client between requests) or a plain pool acquire/release (one request, one loan).
 */
export interface SynthesizerLease {
  /** Rejects with the signal's reason when it aborts while waiting, or with a pool error. */
  acquire(signal: AbortSignal): Promise<LeasedSynthesizer>;
  /** Called once per successful acquire, when the synthesis is over. Never throws. */
  release(client: TtsClient, end: SynthesisEnd): void;
}
