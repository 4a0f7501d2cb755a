import { VoiceClient } from '../../../src/client';
import type { TtsFormat } from '../../../src/protocol';
import { toWav } from '../../../src/speech/wav-header';

/** Synthesizes `text` through the service's own voice API and returns the raw 16-bit PCM. */
export async function synthesizePcm(
  url: string,
  token: string,
  text: string,
  format: TtsFormat = 'pcm-16k',
): Promise<Buffer> {
  const client = await VoiceClient.connect({ url, token, ackTimeoutMs: 20_000 });
  try {
    const chunks: Uint8Array[] = [];
    await client.synthesize({ text, format }, { onAudio: (chunk) => chunks.push(chunk.audio) });
    return Buffer.concat(chunks);
  } finally {
    client.close();
  }
}

/** A WAV of the speech with silence before and after it. */
export function paddedWav(
  pcm: Buffer,
  sampleRate: number,
  leadSeconds: number,
  trailSeconds: number,
): Buffer {
  const silence = (seconds: number): Buffer => Buffer.alloc(Math.round(sampleRate * seconds) * 2);
  return toWav(Buffer.concat([silence(leadSeconds), pcm, silence(trailSeconds)]), sampleRate);
}

export function int16(buffer: Buffer): Int16Array {
  const copy = Buffer.from(buffer); // aligned
  return new Int16Array(copy.buffer, copy.byteOffset, Math.floor(copy.length / 2));
}

/**
 * How well `received` carries `sent`: the best normalised cross-correlation over all alignments (coarse search
 * on 10 ms energy envelopes, then sample-exact), and the level ratio at that alignment.
 */
export function compareAudio(
  sent: Int16Array,
  received: Int16Array,
): { correlation: number; gain: number; lag: number } {
  const block = 160;
  const envelope = (s: Int16Array): number[] => {
    const out: number[] = [];
    for (let i = 0; i + block <= s.length; i += block) {
      let sum = 0;
      for (let j = i; j < i + block; j++) sum += s[j] < 0 ? -s[j] : s[j];
      out.push(sum / block);
    }
    return out;
  };
  const a = envelope(sent);
  const b = envelope(received);
  let coarse = 0;
  let best = -Infinity;
  for (let lag = 0; lag + a.length <= b.length; lag++) {
    let dot = 0;
    for (let i = 0; i < a.length; i++) dot += a[i] * b[lag + i];
    if (dot > best) {
      best = dot;
      coarse = lag * block;
    }
  }
  let result = { correlation: 0, gain: 0, lag: coarse };
  for (let lag = Math.max(0, coarse - 2 * block); lag <= coarse + 2 * block; lag++) {
    if (lag + sent.length > received.length) break;
    let dot = 0;
    let ss = 0;
    let rr = 0;
    for (let i = 0; i < sent.length; i++) {
      const x = sent[i];
      const y = received[lag + i];
      dot += x * y;
      ss += x * x;
      rr += y * y;
    }
    const correlation = dot / Math.sqrt(ss * rr || 1);
    if (correlation > result.correlation) result = { correlation, gain: Math.sqrt(rr / (ss || 1)), lag };
  }
  return result;
}
