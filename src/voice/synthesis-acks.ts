import type { SynthesisResult } from '../synthesis/audio-sink';
import type { SynthesisAck } from '../protocol/acks';

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
