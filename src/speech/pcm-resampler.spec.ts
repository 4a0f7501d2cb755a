import { resamplePcm16 } from '../emulator/audio/pcm-resampler';
import { PcmResampler } from './pcm-resampler';

/** `seconds` of a sine at `hz`, 16-bit PCM at `rate`. */
function sine(rate: number, hz: number, seconds: number, amplitude = 10_000): Buffer {
  const count = Math.round(rate * seconds);
  const pcm = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++)
    pcm.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)), i * 2);
  return pcm;
}

const samples = (pcm: Buffer): number[] =>
  Array.from({ length: pcm.length / 2 }, (_, i) => pcm.readInt16LE(i * 2));

function resampleAll(resampler: PcmResampler, chunks: Buffer[]): Buffer {
  return Buffer.concat([...chunks.map((chunk) => resampler.push(chunk)), resampler.end()]);
}

/** The largest difference from the ideal sine at the output rate, away from the edges (where the input starts). */
function worstError(out: number[], rate: number, hz: number, amplitude = 10_000): number {
  let worst = 0;
  for (let i = 200; i < out.length - 200; i++) {
    worst = Math.max(worst, Math.abs(out[i] - amplitude * Math.sin((2 * Math.PI * hz * i) / rate)));
  }
  return worst;
}

const rms = (values: number[]): number =>
  Math.sqrt(values.reduce((sum, v) => sum + v * v, 0) / Math.max(1, values.length));

describe('PcmResampler', () => {
  it('24 kHz → 16 kHz: the same tone at two thirds of the samples, within 0.5 % of full amplitude', () => {
    const out = samples(resampleAll(new PcmResampler(24_000, 16_000), [sine(24_000, 440, 1)]));
    expect(out.length).toBe(16_000);
    expect(worstError(out, 16_000, 440)).toBeLessThan(50);
  });

  it('8 kHz → 16 kHz: upsamples a 1 kHz tone', () => {
    const out = samples(resampleAll(new PcmResampler(8_000, 16_000), [sine(8_000, 1_000, 0.5)]));
    expect(out.length).toBe(8_000);
    expect(worstError(out, 16_000, 1_000)).toBeLessThan(50);
  });

  it('48 kHz → 16 kHz: a tone above the output Nyquist frequency is filtered out, not folded back', () => {
    const out = samples(resampleAll(new PcmResampler(48_000, 16_000), [sine(48_000, 12_000, 0.5)]));
    // Naive decimation would fold 12 kHz onto 4 kHz at full amplitude (rms ≈ 7071).
    expect(rms(out.slice(200, -200))).toBeLessThan(70);
    const speech = samples(resampleAll(new PcmResampler(48_000, 16_000), [sine(48_000, 1_000, 0.5)]));
    expect(worstError(speech, 16_000, 1_000)).toBeLessThan(50);
  });

  it('gives the same output however the input is chunked, odd byte counts included', () => {
    const input = sine(24_000, 300, 0.3);
    const whole = resampleAll(new PcmResampler(24_000, 16_000), [input]);
    const pieces: Buffer[] = [];
    for (let at = 0, size = 1; at < input.length; at += size, size = (size * 7 + 3) % 997 || 1) {
      pieces.push(input.subarray(at, at + size));
    }
    expect(resampleAll(new PcmResampler(24_000, 16_000), pieces).equals(whole)).toBe(true);
  });

  it('keeps a constant signal constant and clips nothing at full scale', () => {
    const level = Buffer.alloc(4_800 * 2);
    for (let i = 0; i < 4_800; i++) level.writeInt16LE(32_767, i * 2);
    const out = samples(resampleAll(new PcmResampler(24_000, 16_000), [level]));
    expect(out.slice(100, -100).every((v) => v === 32_767)).toBe(true);
  });

  it('holds back at most the filter width, and nothing is left after end()', () => {
    const resampler = new PcmResampler(24_000, 16_000);
    const first = resampler.push(sine(24_000, 440, 0.1));
    expect(first.length / 2).toBeGreaterThan(1_600 - 40);
    expect(first.length / 2 + resampler.end().length / 2).toBe(1_600);
    expect(resampler.end().length).toBe(0);
    expect(() => resampler.push(Buffer.alloc(2))).toThrow('ended');
  });

  it('equals resampling the whole input at once as the speech emulator does, sample for sample', () => {
    // A whole-input reference: the emulator's resampler, with the same kernel, must agree for any chunking.
    const input = sine(24_000, 523, 0.4, 12_000);
    const chunks = [input.subarray(0, 777), input.subarray(777, 5_001), input.subarray(5_001)];
    const ours = resampleAll(new PcmResampler(24_000, 16_000), chunks);
    const whole = resamplePcm16(new Int16Array(samples(input)), 24_000, 16_000);
    expect(samples(ours)).toEqual([...whole]);
  });

  it('refuses rates that are not positive integers', () => {
    expect(() => new PcmResampler(0, 16_000)).toThrow(RangeError);
    expect(() => new PcmResampler(22_050.5, 16_000)).toThrow(RangeError);
  });
});
