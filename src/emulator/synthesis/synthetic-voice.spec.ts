import { SsmlSegment } from './ssml-parser';
import { SyntheticVoice } from './synthetic-voice';

const TEXT = 'The quick brown fox jumps over the lazy dog, and then it rests for a while.';

function request(segments: SsmlSegment[], sampleRate = 16000) {
  return { segments, defaultVoice: 'en-US-JennyNeural', defaultLang: 'en-US', sampleRate };
}
const text = (t: string, voice = 'en-US-JennyNeural'): SsmlSegment => ({
  kind: 'text',
  text: t,
  voice,
  lang: 'en-US',
});

describe('SyntheticVoice', () => {
  it('speaks at about 150 words per minute, in whole 10 ms frames', async () => {
    for (const rate of [8000, 16000, 24000, 48000]) {
      const speech = await new SyntheticVoice().render(request([text(TEXT)], rate));
      const minutes = speech.samples.length / rate / 60;
      const wpm = speech.words.length / minutes;
      expect(wpm).toBeGreaterThan(120);
      expect(wpm).toBeLessThan(180);
      expect(speech.samples.length % (rate / 100)).toBe(0);
      expect(speech.sampleRate).toBe(rate);
    }
  });

  it('is deterministic and gives different texts and voices different audio', async () => {
    const a = await new SyntheticVoice().render(request([text('Hello world.')]));
    const b = await new SyntheticVoice().render(request([text('Hello world.')]));
    const c = await new SyntheticVoice().render(request([text('Hello there.')]));
    const d = await new SyntheticVoice().render(request([text('Hello world.', 'en-GB-RyanNeural')]));
    expect(Buffer.from(a.samples.buffer).equals(Buffer.from(b.samples.buffer))).toBe(true);
    expect(Buffer.from(a.samples.buffer).equals(Buffer.from(c.samples.buffer))).toBe(false);
    expect(Buffer.from(a.samples.buffer).equals(Buffer.from(d.samples.buffer))).toBe(false);
  });

  it('times words in order, voiced with silent pauses between them', async () => {
    const speech = await new SyntheticVoice().render(request([text('one two three')]));
    expect(speech.words.map((w) => w.word)).toEqual(['one', 'two', 'three']);
    for (let i = 0; i < speech.words.length; i++) {
      const w = speech.words[i];
      expect(w.endSample).toBeGreaterThan(w.startSample);
      if (i > 0) {
        const gap = speech.samples.subarray(speech.words[i - 1].endSample, w.startSample);
        expect(gap.length).toBeGreaterThan(0);
        expect(gap.every((v) => v === 0)).toBe(true);
      }
      const voiced = speech.samples.subarray(w.startSample, w.endSample);
      expect(Math.max(...voiced)).toBeGreaterThan(3000);
    }
  });

  it('inserts breaks as silence and keeps text offsets across segments', async () => {
    const speech = await new SyntheticVoice().render(
      request([text('Before.'), { kind: 'break', ms: 1000 }, text('After.')]),
    );
    expect(speech.text).toBe('Before. After.');
    const [before, after] = speech.words;
    expect(speech.text.slice(after.charStart, after.charEnd)).toBe('After.');
    expect(after.startSample - before.endSample).toBeGreaterThanOrEqual(16000);
  });

  it('renders nothing but padding for empty input', async () => {
    const speech = await new SyntheticVoice().render(request([]));
    expect(speech.words).toEqual([]);
    expect(speech.samples.every((v) => v === 0)).toBe(true);
  });
});
