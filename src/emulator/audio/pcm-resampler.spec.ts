import { resamplePcm16 } from './pcm-resampler';

function tone(freq: number, rate: number, seconds: number, amplitude = 10000): Int16Array {
  return Int16Array.from({ length: Math.round(rate * seconds) }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * freq * i) / rate)),
  );
}

function rms(s: Int16Array, from = 0, to = s.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += s[i] * s[i];
  return Math.sqrt(sum / (to - from));
}

function zeroCrossings(s: Int16Array): number {
  let n = 0;
  for (let i = 1; i < s.length; i++) if (s[i - 1] < 0 !== s[i] < 0) n++;
  return n;
}

describe('resamplePcm16', () => {
  it.each([8000, 16000, 24000, 48000])(
    '22050 Hz -> %d Hz keeps duration, pitch and level of a 440 Hz tone',
    (to) => {
      const input = tone(440, 22050, 1);
      const out = resamplePcm16(input, 22050, to);
      expect(out.length).toBe(to);
      expect(Math.abs(zeroCrossings(out) - 880)).toBeLessThanOrEqual(2);
      const inner = [Math.round(to * 0.1), Math.round(to * 0.9)] as const;
      expect(rms(out, ...inner) / rms(input)).toBeCloseTo(1, 1);
    },
  );

  it('filters content above the new Nyquist frequency instead of aliasing it', () => {
    const out = resamplePcm16(tone(6000, 22050, 1), 22050, 8000);
    expect(rms(out, 800, 7200)).toBeLessThan(0.05 * rms(tone(6000, 22050, 1)));
  });

  it('keeps DC and is an exact copy at equal rates', () => {
    const dc = new Int16Array(2205).fill(1234);
    const out = resamplePcm16(dc, 22050, 16000);
    expect(Math.max(...out.subarray(10, -10))).toBe(1234);
    expect(Math.min(...out.subarray(10, -10))).toBe(1234);
    const same = resamplePcm16(dc, 16000, 16000);
    expect(same).toEqual(dc);
    expect(same).not.toBe(dc);
  });

  it('is deterministic and clamps to the 16-bit range', () => {
    const loud = Int16Array.from({ length: 1000 }, (_, i) => (i % 2 ? 32767 : -32768));
    const a = resamplePcm16(loud, 22050, 48000);
    expect(a).toEqual(resamplePcm16(loud, 22050, 48000));
    expect(Math.max(...a)).toBeLessThanOrEqual(32767);
  });

  it('rejects nonsense rates', () => {
    expect(() => resamplePcm16(new Int16Array(10), 0, 16000)).toThrow(RangeError);
  });
});
