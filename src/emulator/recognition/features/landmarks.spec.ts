import { LandmarkExtractor, landmarksOf, toleratedHashes } from './landmarks';
import { spectralFrames } from './spectral-frames';
import { SyntheticVoice } from '../../synthesis/synthetic-voice';
import { noise, tone } from '../../../../test/support/emulator/capture-path';

async function speech(): Promise<Int16Array> {
  const rendered = await new SyntheticVoice().render({
    segments: [{ kind: 'text', text: 'Landmarks are pairs of spectral peaks.', voice: 'v', lang: undefined }],
    defaultVoice: 'v',
    defaultLang: undefined,
    sampleRate: 16000,
  });
  return rendered.samples;
}

describe('landmarks', () => {
  it('speech gives tens of landmarks per second; a steady tone almost none', async () => {
    const samples = await speech();
    const seconds = samples.length / 16000;
    expect(landmarksOf(spectralFrames(samples, 16000)).length / seconds).toBeGreaterThan(30);
    expect(landmarksOf(spectralFrames(tone(300, 2000), 16000)).length).toBeLessThan(5);
  });

  it('the same landmarks at another level: peaks are relative', async () => {
    const samples = await speech();
    const quiet = Int16Array.from(samples, (s) => Math.round(s / 4));
    const hashes = (s: Int16Array) =>
      landmarksOf(spectralFrames(s, 16000)).map((l) => `${l.hash}@${l.frame}`);
    const a = new Set(hashes(samples));
    const b = hashes(quiet);
    expect(b.filter((h) => a.has(h)).length / b.length).toBeGreaterThan(0.9);
  });

  it('streaming gives what the whole buffer gives', () => {
    const frames = spectralFrames(noise(500, 16000, 3000, 5), 16000);
    const streamed: unknown[] = [];
    const extractor = new LandmarkExtractor((l) => streamed.push(l));
    for (const f of frames) extractor.push(f);
    extractor.flush();
    expect(streamed).toEqual(landmarksOf(frames));
  });

  it('a hash tolerates one frame more or less between its peaks', () => {
    const [landmark] = landmarksOf(spectralFrames(noise(300, 16000, 3000, 5), 16000));
    const variants = toleratedHashes(landmark.hash);
    expect(variants[0]).toBe(landmark.hash);
    expect(new Set(variants.map((h) => h & 0x7ff))).toEqual(new Set([landmark.hash & 0x7ff]));
    for (const h of variants) expect(Math.abs((h >> 11) - (landmark.hash >> 11))).toBeLessThanOrEqual(1);
  });
});
