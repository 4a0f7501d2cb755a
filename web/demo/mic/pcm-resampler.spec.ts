import { floatToInt16, Int16FrameBuilder } from './pcm16';
import { StreamingResampler } from './pcm-resampler';

function sine(rate: number, hz: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / rate);
  return out;
}

function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/** Feeds `input` in render-quantum-sized chunks, as the AudioWorklet does. */
function resample(input: Float32Array, inputRate: number, outputRate: number, chunk = 128): Float32Array {
  const resampler = new StreamingResampler({ inputRate, outputRate });
  const parts: Float32Array[] = [];
  for (let i = 0; i < input.length; i += chunk) parts.push(resampler.push(input.subarray(i, i + chunk)));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The middle of a signal, away from the start-up and the unfinished tail. */
const middle = (samples: Float32Array): Float32Array =>
  samples.subarray(Math.floor(samples.length * 0.2), Math.floor(samples.length * 0.8));

describe('StreamingResampler', () => {
  it.each([44_100, 48_000])('turns a %i Hz tone into the same tone at 16 kHz, in time', (inputRate) => {
    const out = resample(sine(inputRate, 1_000, 1), inputRate, 16_000);
    const expected = sine(16_000, 1_000, 1);
    let worst = 0;
    for (let i = 3_000; i < 13_000; i++) worst = Math.max(worst, Math.abs(out[i] - expected[i]));
    // -66 dB below the tone: no delay, no gain error, no distortion worth hearing.
    expect(worst).toBeLessThan(0.5 * 10 ** (-66 / 20));
  });

  it('passes speech frequencies at full level', () => {
    for (const hz of [200, 2_000, 4_000, 6_000]) {
      const out = middle(resample(sine(44_100, hz, 1), 44_100, 16_000));
      expect(20 * Math.log10(rms(out) / (0.5 / Math.SQRT2))).toBeGreaterThan(-0.2);
    }
  });

  it('removes what 16 kHz cannot carry instead of folding it into the speech band', () => {
    for (const hz of [9_000, 12_000, 20_000]) {
      const out = middle(resample(sine(48_000, hz, 1), 48_000, 16_000));
      expect(20 * Math.log10(rms(out) / (0.5 / Math.SQRT2))).toBeLessThan(-60);
    }
  });

  it('gives the same samples however the input is chunked', () => {
    const input = sine(44_100, 440, 0.1);
    const whole = resample(input, 44_100, 16_000, input.length);
    for (const chunk of [1, 7, 128, 1_000]) expect(resample(input, 44_100, 16_000, chunk)).toEqual(whole);
  });

  it('produces 16,000 samples a second, less only the look-ahead it still waits for', () => {
    const out = resample(new Float32Array(44_100), 44_100, 16_000);
    expect(out.length).toBeGreaterThan(16_000 - 64);
    expect(out.length).toBeLessThanOrEqual(16_000);
  });

  it('passes audio already at the target rate through untouched', () => {
    const input = sine(16_000, 440, 0.1);
    expect(resample(input, 16_000, 16_000)).toEqual(input);
  });
});

describe('16-bit conversion', () => {
  it('inverts how browsers decode 16-bit PCM, so untouched audio comes back bit-exact', () => {
    for (const s of [-32768, -12345, -1, 0, 1, 12345, 32767]) {
      const decoded = Math.fround(s < 0 ? s / 32768 : s / 32767);
      expect(floatToInt16(decoded)).toBe(s);
    }
  });

  it('clips out-of-range samples', () => {
    expect(floatToInt16(1.5)).toBe(32767);
    expect(floatToInt16(-1.5)).toBe(-32768);
  });

  it('hands over whole frames, and the rest on flush', () => {
    const frames: number[][] = [];
    const builder = new Int16FrameBuilder(4, (frame) => frames.push([...new Int16Array(frame)]));
    builder.push(Float32Array.from([0.5, -0.5, 0, 1, 0.25, -1]));
    expect(frames).toEqual([[16384, -16384, 0, 32767]]);
    builder.flush();
    expect(frames[1]).toEqual([8192, -32768]);
  });
});
