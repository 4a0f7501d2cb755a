import {
  coarseBands,
  frameLevel,
  FINE_BANDS,
  SILENT_DB,
  spectralFrames,
  SpectralFrameStream,
} from './spectral-frames';
import { noise, tone } from '../../../../test/support/emulator/capture-path';

/** The fine band holding `hz` (bands are 62.5 Hz wide from 125 Hz). */
const bandOf = (hz: number) => Math.floor((hz - 125) / 62.5);

describe('spectral frames', () => {
  it('one frame every 10 ms once a 32 ms window is complete, at any rate', () => {
    for (const rate of [8000, 16000, 22050, 44100, 48000]) {
      const frames = spectralFrames(tone(1000, 1000, rate), rate);
      expect(frames.length).toBeGreaterThanOrEqual(97);
      expect(frames.length).toBeLessThanOrEqual(98);
      expect(frames[0]).toHaveLength(FINE_BANDS);
    }
  });

  it('a tone lands in its band at the same level whatever the sample rate', () => {
    const levels = [8000, 16000, 24000, 44100, 48000].map((rate) => {
      const frame = spectralFrames(tone(1030, 500, rate), rate)[20];
      return { band: frame.indexOf(Math.max(...frame)), level: frameLevel(frame) };
    });
    for (const l of levels) {
      expect(l.band).toBe(bandOf(1030));
      // A full-scale sine has a mean square of 1/2 of full scale: amplitude 8000 is about -15.2 dBFS.
      expect(l.level).toBeCloseTo(20 * Math.log10(8000 / 32768) - 3.01, 0);
    }
  });

  it('a gain change moves every band by the same number of dB', () => {
    const loud = spectralFrames(noise(300, 16000, 8000, 4), 16000)[10];
    const quiet = spectralFrames(
      Int16Array.from(noise(300, 16000, 8000, 4), (s) => Math.round(s / 4)),
      16000,
    )[10];
    for (let b = 0; b < FINE_BANDS; b++) expect(loud[b] - quiet[b]).toBeCloseTo(20 * Math.log10(4), 0);
  });

  it('frames do not depend on how the audio was chunked', () => {
    const samples = noise(400, 16000, 5000, 9);
    const whole = spectralFrames(samples, 16000);
    const chunked: Float32Array[] = [];
    const stream = new SpectralFrameStream(16000, (_i, f) => chunked.push(f));
    for (let i = 0; i < samples.length; i += 37) stream.push(samples.subarray(i, i + 37));
    expect(chunked).toEqual(whole);
  });

  it('silence is at the floor; coarse bands sum four fine bands', () => {
    const [silent] = spectralFrames(new Int16Array(1000), 16000);
    expect(silent.every((v) => v === SILENT_DB)).toBe(true);
    const frame = spectralFrames(noise(200, 16000, 5000, 2), 16000)[5];
    const coarse = coarseBands(frame);
    const sum = [0, 1, 2, 3].reduce((a, b) => a + 10 ** (frame[b] / 10), 0);
    expect(coarse[0]).toBeCloseTo(10 * Math.log10(sum), 3);
  });
});
