import { expect } from '@jest/globals';
import { waitFor } from './support/wait-for';
import { startHttpSpeechApp, type HttpSpeechApp } from './support/app/http-speech-app';

jest.setTimeout(60_000);

const silence = (ms: number): Buffer => Buffer.alloc(Math.round((16_000 * ms) / 1000) * 2);

interface SttAnswer {
  text: string;
  segments: Array<{
    text: string;
    offsetMs: number;
    durationMs: number;
    language?: string;
    words?: Array<{ text: string; offsetMs: number; durationMs: number }>;
  }>;
  tier: string;
}

const words = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^\p{L} ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('POST /api/v1/stt recognition options (e2e)', () => {
  let service: HttpSpeechApp;

  beforeAll(async () => {
    service = await startHttpSpeechApp();
  });
  afterAll(() => service.close());

  /** Raw 16 kHz PCM of `body` spoken by `voice`. */
  async function speak(voice: string, lang: string, body: string): Promise<Buffer> {
    const ssml = `<speak version="1.0" xml:lang="${lang}"><voice name="${voice}">${body}</voice></speak>`;
    const response = await fetch(`${service.url}/api/v1/tts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ssml, format: 'pcm-16k' }),
    });
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  function stt(query: string, pcm: Buffer): Promise<Response> {
    return fetch(`${service.url}/api/v1/stt?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'audio/L16;rate=16000' },
      body: pcm,
    });
  }

  it('endSilenceMs and words: one segment per sentence at 300 ms, each with its word timings', async () => {
    const pcm = Buffer.concat([
      silence(300),
      await speak('en-US-JennyNeural', 'en-US', 'Open the window. <break time="700ms"/> Close the door.'),
      silence(300),
    ]);
    const response = await stt('endSilenceMs=300&words=true', pcm);
    expect(response.status).toBe(200);
    const body = (await response.json()) as SttAnswer;
    expect(body.tier).toBe('warm');
    expect(body.segments.map((s) => words(s.text))).toEqual(['open the window', 'close the door']);
    expect(body.segments.map((s) => s.words?.map((w) => w.text))).toEqual([
      ['open', 'the', 'window'],
      ['close', 'the', 'door'],
    ]);
    expect(body.segments[1].words?.[0].offsetMs).toBeGreaterThan(body.segments[0].offsetMs + 1000);

    const joined = (await (await stt('endSilenceMs=1500', pcm)).json()) as SttAnswer;
    expect(joined.segments.map((s) => words(s.text))).toEqual(['open the window close the door']);
    expect(joined.segments[0].words).toBeUndefined();
  });

  it('languages (repeated or comma-separated): every segment says which language it was', async () => {
    const pcm = Buffer.concat([
      silence(300),
      await speak('de-DE-KatjaNeural', 'de-DE', 'Guten Morgen, wie kann ich helfen?'),
      silence(900),
      await speak('en-US-JennyNeural', 'en-US', 'Good morning, how can I help?'),
      silence(300),
    ]);
    for (const query of [
      'languages=en-US,de-DE',
      'languages=en-US&languages=de-DE&phrases=Contoso&profanity=raw',
    ]) {
      const response = await stt(query, pcm);
      expect(response.status).toBe(200);
      const body = (await response.json()) as SttAnswer;
      expect(body.tier).toBe('cold');
      expect(body.segments.map((s) => [words(s.text), s.language])).toEqual([
        ['guten morgen wie kann ich helfen', 'de-DE'],
        ['good morning how can i help', 'en-US'],
      ]);
    }
  });

  it.each([
    ['languages=en-US', /languages: must list 2 to 4 languages/],
    ['languages=en-US,de-DE,fr-FR,es-ES,it-IT', /languages: must list 2 to 4 languages/],
    [`phrases=${'x'.repeat(101)}`, /phrases\.0: must be at most 100 characters/],
    ['endSilenceMs=50', /endSilenceMs: must be at least 100 ms/],
    ['endSilenceMs=soon', /endSilenceMs/],
    ['initialSilenceMs=70000', /initialSilenceMs: must be at most 60000 ms/],
    ['profanity=bleep', /profanity/],
    ['words=yes', /words/],
    ['endSilence=300', /endSilence/],
  ])('?%s is a 400 BAD_REQUEST problem naming it; no recognizer is taken', async (query, detail) => {
    const before = service.stt.snapshot().metrics;
    const response = await stt(query, silence(100));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe('BAD_REQUEST');
    expect(problem.detail).toMatch(detail);
    await waitFor(() => service.stt.snapshot().inUse === 0, 'nothing in use');
    const after = service.stt.snapshot().metrics;
    expect(after.resourcesCreated).toBe(before.resourcesCreated);
  });
});
