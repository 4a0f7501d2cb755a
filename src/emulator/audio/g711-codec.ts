// Module-level aliases: global lookups in hot loops are very slow inside vm contexts (Jest's sandbox).
const { abs, min } = Math;

/** ITU-T G.711 companding of 16-bit PCM, for the `raw-8khz-8bit-mono-mulaw|alaw` output formats. */

const MULAW_BIAS = 0x84;
const MULAW_CLIP = 32635;

export function linearToMulaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = min(MULAW_CLIP, abs(sample)) + MULAW_BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  magnitude = sign | (exponent << 4) | mantissa;
  return ~magnitude & 0xff;
}

export function linearToAlaw(sample: number): number {
  const sign = sample >= 0 ? 0x80 : 0;
  const magnitude = min(32767, abs(sample)) >> 3;
  let encoded: number;
  if (magnitude < 32) {
    encoded = magnitude >> 1;
  } else {
    let exponent = 1;
    while (magnitude >> (exponent + 5) > 0 && exponent < 7) exponent++;
    encoded = (exponent << 4) | ((magnitude >> exponent) & 0x0f);
  }
  return (encoded | sign) ^ 0x55;
}

export function encodeG711(samples: Int16Array, law: 'mulaw' | 'alaw'): Buffer {
  const out = Buffer.allocUnsafe(samples.length);
  const encode = law === 'mulaw' ? linearToMulaw : linearToAlaw;
  for (let i = 0; i < samples.length; i++) out[i] = encode(samples[i]);
  return out;
}
