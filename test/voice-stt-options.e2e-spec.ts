import { expect } from '@jest/globals';
import type { VoiceClient } from '../src/client';
import {
  closeAll,
  recognise,
  startVoiceApp,
  synthesize,
  waitFor,
  words,
  type VoiceApp,
} from './support/app/voice-harness';

jest.setTimeout(60_000);

const silence = (ms: number, rate = 16_000): Buffer => Buffer.alloc(Math.round((rate * ms) / 1000) * 2);

function ssml(voice: string, lang: string, body: string): string {
  return `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="${lang}"><voice name="${voice}">${body}</voice></speak>`;
}

describe('voice gateway: recognition options (e2e, real SDK against the emulator)', () => {
  let v: VoiceApp;
  let client: VoiceClient;

  beforeAll(async () => {
    v = await startVoiceApp();
  });
  beforeEach(async () => {
    client = v.connect();
    await client.ready();
  });
  afterEach(() => closeAll(v.clients));
  afterAll(() => v.close());

  /** The STT pool is back at rest: nothing in use or pending, the warm stack full, created − destroyed = size. */
  async function sttSettled(): Promise<void> {
    await waitFor(() => {
      const s = v.stt.snapshot();
      return s.inUse === 0 && s.pendingAcquires === 0 && s.warmPoolSize >= s.warmPoolTarget;
    }, 'stt pool settled');
    const s = v.stt.snapshot();
    expect(s.metrics.resourcesCreated - s.metrics.resourcesDestroyed).toBe(s.size);
  }

  async function speak(voice: string, lang: string, body: string): Promise<Buffer> {
    const spoken = await synthesize(client, { ssml: ssml(voice, lang, body), format: 'pcm-16k' });
    expect(spoken.ack.ok).toBe(true);
    return spoken.audio;
  }

  it('endSilenceMs segments a pause between sentences at 300 ms but not at 1500 ms; both stay WARM', async () => {
    const audio = Buffer.concat([
      silence(300),
      await speak('en-US-JennyNeural', 'en-US', 'Open the window. <break time="700ms"/> Close the door.'),
      silence(300),
    ]);
    const short = await recognise(client, audio, { endSilenceMs: 300 });
    expect(short.start).toMatchObject({ ok: true, tier: 'warm' });
    expect(short.finals.map((f) => words(f.text))).toEqual(['open the window', 'close the door']);
    const long = await recognise(client, audio, { endSilenceMs: 1500 });
    expect(long.start).toMatchObject({ ok: true, tier: 'warm' });
    expect(long.finals.map((f) => words(f.text))).toEqual(['open the window close the door']);
  });

  it('words: every final carries its words, timed in the recognition audio', async () => {
    const lead = 400;
    const audio = Buffer.concat([
      silence(lead),
      await speak('en-US-JennyNeural', 'en-US', 'The early bird catches the worm.'),
    ]);
    const heard = await recognise(client, audio, { words: true, requestId: 'w-1' });
    expect(heard.finals).toHaveLength(1);
    const [final] = heard.finals;
    expect(final.words?.map((w) => w.text)).toEqual(['the', 'early', 'bird', 'catches', 'the', 'worm']);
    const times = final.words ?? [];
    expect(times[0].offsetMs).toBeGreaterThanOrEqual(lead);
    for (let i = 1; i < times.length; i++) expect(times[i].offsetMs).toBeGreaterThan(times[i - 1].offsetMs);
    expect(times[0].offsetMs).toBeGreaterThanOrEqual(final.offsetMs);
    const plain = await recognise(client, audio);
    expect(plain.finals[0].words).toBeUndefined();
  });

  it('languages: every final says which of the candidates was spoken; the recognizer is made for them (COLD)', async () => {
    const audio = Buffer.concat([
      silence(300),
      await speak('en-US-JennyNeural', 'en-US', 'Good morning, how can I help?'),
      silence(900),
      await speak('de-DE-KatjaNeural', 'de-DE', 'Guten Morgen, wie kann ich helfen?'),
      silence(300),
    ]);
    const heard = await recognise(client, audio, { languages: ['en-US', 'de-DE'] });
    expect(heard.start).toMatchObject({ ok: true, tier: 'cold' });
    expect(heard.finals.map((f) => [words(f.text), f.language])).toEqual([
      ['good morning how can i help', 'en-US'],
      ['guten morgen wie kann ich helfen', 'de-DE'],
    ]);
    await sttSettled();
  });

  it('initialSilenceMs: a recognition whose audio starts with longer silence ends without a final', async () => {
    const speech = await speak('en-US-JennyNeural', 'en-US', 'Are you still there?');
    const late = await recognise(client, Buffer.concat([silence(1500), speech]), { initialSilenceMs: 500 });
    expect(late.stop).toEqual({ ok: true, finals: 0 });
    const early = await recognise(client, Buffer.concat([silence(200), speech]), { initialSilenceMs: 500 });
    expect(early.finals.map((f) => words(f.text))).toEqual(['are you still there']);
  });

  it('phrases and profanity are accepted per recognition on a warm recognizer', async () => {
    const audio = Buffer.concat([
      silence(200),
      await speak('en-US-JennyNeural', 'en-US', 'Call Contoso today.'),
    ]);
    const heard = await recognise(client, audio, { phrases: ['Contoso', 'Fabrikam'], profanity: 'raw' });
    expect(heard.start).toMatchObject({ ok: true, tier: 'warm' });
    expect(heard.finals.map((f) => words(f.text))).toEqual(['call contoso today']);
  });

  it.each([
    ['one language', { languages: ['en-US'] }, /languages: must list 2 to 4 languages/],
    [
      'five languages',
      { languages: ['en-US', 'de-DE', 'fr-FR', 'es-ES', 'it-IT'] },
      /languages: must list 2 to 4 languages/,
    ],
    ['a repeated language', { languages: ['en-US', 'EN-us'] }, /languages: must not repeat a language/],
    ['a bad language tag', { languages: ['en-US', 'not a tag'] }, /languages\.1: must be a language tag/],
    [
      '501 phrases',
      { phrases: Array.from({ length: 501 }, (_, i) => `p${i}`) },
      /phrases: must list at most 500 phrases/,
    ],
    ['a 101-character phrase', { phrases: ['x'.repeat(101)] }, /phrases\.0: must be at most 100 characters/],
    ['a blank phrase', { phrases: ['  '] }, /phrases\.0: must not be empty/],
    ['endSilenceMs 50', { endSilenceMs: 50 }, /endSilenceMs: must be at least 100 ms/],
    ['endSilenceMs 5001', { endSilenceMs: 5001 }, /endSilenceMs: must be at most 5000 ms/],
    ['endSilenceMs 250.5', { endSilenceMs: 250.5 }, /endSilenceMs: must be a whole number/],
    ['initialSilenceMs 0', { initialSilenceMs: 0 }, /initialSilenceMs: must be at least 100 ms/],
    ['an unknown profanity mode', { profanity: 'bleep' }, /profanity/],
    ['words as text', { words: 'yes' }, /words/],
    ['a misspelt option', { endSilence: 300 }, /endSilence/],
  ])('refuses %s with BAD_REQUEST, and no recognizer is taken', async (_name, options, message) => {
    // Payloads no typed caller could send: the client passes them on as they are.
    const recognition = client.recognize(options as never);
    await expect(recognition.started).rejects.toMatchObject({ code: 'BAD_REQUEST', message });
    recognition.dispose();
    expect(v.stt.snapshot().inUse).toBe(0);
  });

  it('tiers by option mix: per-recognition options keep WARM; language, rate or candidates cost COLD', async () => {
    const mixes: Array<[Parameters<VoiceClient['recognize']>[0], 'warm' | 'cold']> = [
      [{}, 'warm'],
      [{ endSilenceMs: 300, words: true }, 'warm'],
      [{ phrases: ['Contoso'], profanity: 'masked', initialSilenceMs: 3000 }, 'warm'],
      [{ language: 'en-US', sampleRate: 16_000, endSilenceMs: 800 }, 'warm'],
      [{ language: 'de-DE' }, 'cold'],
      [{ sampleRate: 8_000 }, 'cold'],
      [{ languages: ['en-US', 'es-ES'] }, 'cold'],
    ];
    for (const [options, tier] of mixes) {
      await sttSettled();
      const recognition = client.recognize(options);
      expect(await recognition.started).toMatchObject({ ok: true, tier });
      await recognition.stop();
    }
    await sttSettled();
  });
});
