import { detectEspeak, EspeakInstallation } from './espeak-process';
import { estimateWordTimings, EspeakVoice } from './espeak-voice';

describe('estimateWordTimings', () => {
  it('maps voiced islands to words when they are as many', () => {
    const rate = 16000;
    const samples = new Int16Array(rate);
    const island = (from: number, to: number) => samples.fill(8000, from, to);
    island(1600, 4800);
    island(8000, 12000);
    const words = estimateWordTimings('hello world', samples, rate);
    expect(words.map((w) => [w.word, w.startSample, w.endSample])).toEqual([
      ['hello', 1600, 4800],
      ['world', 8000, 12000],
    ]);
  });

  it('shares the voiced span out by word length otherwise', () => {
    const rate = 16000;
    const samples = new Int16Array(rate).fill(8000, 1600, 14400);
    const words = estimateWordTimings('a bb ccc', samples, rate);
    expect(words[0].startSample).toBe(1600);
    expect(words[2].endSample).toBe(14400);
    expect(words[1].endSample - words[1].startSample).toBeLessThan(words[2].endSample - words[2].startSample);
  });
});

describe('EspeakVoice', () => {
  let installation: EspeakInstallation | undefined;
  beforeAll(async () => {
    installation = await detectEspeak(process.env.ESPEAK_NG_PATH || 'espeak-ng');
  });

  it('maps Azure voice names and languages to espeak voices', () => {
    const voice = new EspeakVoice({
      binary: 'espeak-ng',
      languages: new Set(['en', 'en-us', 'en-gb', 'de']),
    });
    expect(voice.espeakVoiceFor('en-US-JennyNeural', undefined)).toMatch(/^en-us\+[mf]\d$/);
    expect(voice.espeakVoiceFor('en-GB-RyanNeural', undefined)).toMatch(/^en-gb\+/);
    expect(voice.espeakVoiceFor('de-DE-KatjaNeural', undefined)).toMatch(/^de\+/);
    expect(voice.espeakVoiceFor('xx-YY-Nobody', undefined)).toMatch(/^en-us\+/);
    expect(voice.espeakVoiceFor(undefined, 'en-GB')).toMatch(/^en-gb\+/);
  });

  it('speaks text when espeak-ng is installed (skipped otherwise), cached and deterministic', async () => {
    if (!installation) return; // espeak-ng is optional: the synthetic voice covers machines without it
    const voice = new EspeakVoice(installation);
    const request = {
      segments: [{ kind: 'text' as const, text: 'Hello world.', voice: 'en-US-JennyNeural', lang: 'en-US' }],
      defaultVoice: 'en-US-JennyNeural',
      defaultLang: 'en-US',
      sampleRate: 24000,
    };
    const a = await voice.render(request);
    expect(a.samples.length).toBeGreaterThan(24000 * 0.4);
    expect(a.samples.length % 240).toBe(0);
    expect(a.words.map((w) => w.word)).toEqual(['Hello', 'world']);
    expect(Math.max(...a.samples)).toBeGreaterThan(3000);
    const b = await new EspeakVoice(installation).render(request); // a fresh cache: a second process
    expect(Buffer.from(b.samples.buffer).equals(Buffer.from(a.samples.buffer))).toBe(true);
  });

  it('fails cleanly when the binary cannot run', async () => {
    const voice = new EspeakVoice({ binary: '/nonexistent/espeak-ng', languages: new Set(['en']) });
    await expect(
      voice.render({
        segments: [{ kind: 'text', text: 'x', voice: undefined, lang: undefined }],
        defaultVoice: undefined,
        defaultLang: undefined,
        sampleRate: 16000,
      }),
    ).rejects.toThrow();
    expect(await detectEspeak('/nonexistent/espeak-ng')).toBeUndefined();
  });
});
