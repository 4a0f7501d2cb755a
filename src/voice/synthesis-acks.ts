import type { AllocationTier } from '../pools/allocation-tier';
import type { SynthesisResult } from '../synthesis/audio-sink';
import type { FailedAck } from './voice-errors';

/** A completed synthesis; times in ms from the start of serving the request. */
export interface SynthesisDoneAck {
  ok: true;
  requestId: string;
  tier: AllocationTier;
  /** null only if the upstream produced no audio at all. */
  firstByteMs: number | null;
  totalMs: number;
  bytes: number;
}

/**
 * A synthesis ended by tts.cancel: `ok` (the client asked for it), with what was done until then. `tier` is null
 * when it was canceled before a client was allocated; `bytes` is the audio already sent as tts.audio.
 */
export interface SynthesisCanceledAck {
  ok: true;
  requestId: string;
  canceled: true;
  tier: AllocationTier | null;
  firstByteMs: number | null;
  totalMs: number;
  bytes: number;
}

export type SynthesisAck = SynthesisDoneAck | SynthesisCanceledAck | FailedAck;

/** The ack for a synthesis result; null when nobody is left to answer. */
export function synthesisAck(result: SynthesisResult): SynthesisAck | null {
  const { requestId, firstByteMs, totalMs, bytes } = result;
  switch (result.kind) {
    case 'completed':
      return { ok: true, requestId, tier: result.tier, firstByteMs, totalMs, bytes };
    case 'canceled':
      return { ok: true, requestId, canceled: true, tier: result.tier, firstByteMs, totalMs, bytes };
    case 'failed':
      return { ok: false, error: result.error };
    case 'abandoned':
      return null;
  }
}
