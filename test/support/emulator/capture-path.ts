/**
 * What a browser does to audio between a speaker and a recognizer, for tests of the emulator's recognition:
 * playback resamples the synthesis up to the device rate (44.1 or 48 kHz), the room and microphone change its
 * level and add noise, and the capture side resamples it down to the recognizer's rate. Written independently
 * of the emulator's own resampler (different filters), so a test cannot pass by undoing the emulator's maths.
 */
import { createRandom } from '../../../src/emulator/audio/deterministic-random';

const { ceil, cos, floor, max, min, PI, round, sin } = Math;

export interface CapturePathOptions {
  /** The device rate in between (e.g. 44100 or 48000). */
  deviceRate: number;
  /** Rate handed to the recognizer; default: the input's rate. */
  outputRate?: number;
  /** Level change on the way, in dB (negative = quieter). */
  gainDb?: number;
  /** White noise added at the device rate, this many dB below the speech's level; none when undefined. */
  snrDb?: number;
  seed?: number;
}

export function throughCapturePath(
  samples: Int16Array,
  rate: number,
  options: CapturePathOptions,
): Int16Array {
  const up = resampleLinear(Float64Array.from(samples), rate, options.deviceRate);
  const gain = 10 ** ((options.gainDb ?? 0) / 20);
  for (let i = 0; i < up.length; i++) up[i] *= gain;
  if (options.snrDb !== undefined) {
    const noiseRms = speechRms(up, options.deviceRate) / 10 ** (options.snrDb / 20);
    const random = createRandom(options.seed ?? 7);
    // Uniform white noise: variance a²/3 for amplitude a.
    const amplitude = noiseRms * Math.sqrt(3);
    for (let i = 0; i < up.length; i++) up[i] += amplitude * (random() * 2 - 1);
  }
  return toPcm16(resampleSinc(up, options.deviceRate, options.outputRate ?? rate));
}

/** Playback-style linear interpolation (cheap, leaves images above the old Nyquist for the capture filter). */
export function resampleLinear(input: Float64Array, from: number, to: number): Float64Array {
  const out = new Float64Array(Math.round((input.length * to) / from));
  for (let n = 0; n < out.length; n++) {
    const t = (n * from) / to;
    const i = Math.floor(t);
    const a = input[i] ?? 0;
    const b = input[i + 1] ?? a;
    out[n] = a + (b - a) * (t - i);
  }
  return out;
}

/** Capture-style band-limited resampling: a Hann-windowed sinc low-pass at 0.9 × the lower Nyquist frequency. */
export function resampleSinc(
  input: Float64Array,
  from: number,
  to: number,
  zeroCrossings = 16,
): Float64Array {
  const out = new Float64Array(round((input.length * to) / from));
  const fc = 0.45 * min(1, to / from); // cycles per input sample
  const half = ceil(zeroCrossings / (2 * fc));
  // The kernel tabulated at TABLE steps per input sample (the vm sandbox Jest runs in makes Math calls slow).
  const TABLE = 64;
  const kernel = new Float64Array(half * TABLE + 2);
  for (let j = 0; j < kernel.length; j++) {
    const d = j / TABLE;
    if (d >= half) continue;
    const x = 2 * fc * d;
    kernel[j] = 2 * fc * (x === 0 ? 1 : sin(PI * x) / (PI * x)) * (0.5 + 0.5 * cos((PI * d) / half));
  }
  for (let n = 0; n < out.length; n++) {
    const t = (n * from) / to;
    const centre = floor(t);
    let sum = 0;
    const last = min(input.length - 1, centre + half);
    for (let i = max(0, centre - half + 1); i <= last; i++) {
      const d = i - t;
      const pos = (d < 0 ? -d : d) * TABLE;
      const k = pos | 0;
      sum += input[i] * (kernel[k] + (kernel[k + 1] - kernel[k]) * (pos - k));
    }
    out[n] = sum;
  }
  return out;
}

/** RMS over the 10 ms frames within 40 dB of the loudest one: the level of the speech, not of its pauses. */
export function speechRms(samples: ArrayLike<number>, rate: number): number {
  const frame = Math.round(rate / 100);
  const energies: number[] = [];
  for (let start = 0; start + frame <= samples.length; start += frame) {
    let e = 0;
    for (let i = start; i < start + frame; i++) e += samples[i] * samples[i];
    energies.push(e / frame);
  }
  const loudest = Math.max(0, ...energies);
  const active = energies.filter((e) => e > loudest * 1e-4);
  return active.length === 0 ? 0 : Math.sqrt(active.reduce((a, b) => a + b, 0) / active.length);
}

export function toPcm16(samples: ArrayLike<number>): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i])));
  return out;
}

/** A steady sine tone. */
export function tone(hz: number, ms: number, rate = 16000, amplitude = 8000): Int16Array {
  return Int16Array.from({ length: Math.round((rate * ms) / 1000) }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)),
  );
}

/** Uniform white noise. */
export function noise(ms: number, rate = 16000, amplitude = 6000, seed = 1): Int16Array {
  const random = createRandom(seed);
  return Int16Array.from({ length: Math.round((rate * ms) / 1000) }, () =>
    Math.round(amplitude * (random() * 2 - 1)),
  );
}

/** Concatenates PCM pieces. */
export function concatPcm(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function silencePcm(ms: number, rate = 16000): Int16Array {
  return new Int16Array(Math.round((rate * ms) / 1000));
}
