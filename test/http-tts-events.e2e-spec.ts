import { expect } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import type { TtsWord } from '../src/protocol';
import { startHttpSpeechApp, type HttpSpeechApp } from './support/app/http-speech-app';
import { readServerSentEvents } from './support/app/server-sent-events';
import { waitFor } from './support/wait-for';

jest.setTimeout(60_000);

const TEXT = 'Server-sent events carry the audio. Each word arrives before the audio that speaks it.';

function ttsEvents(service: HttpSpeechApp, body: object, signal?: AbortSignal): Promise<Response> {
  return fetch(`${service.url}/api/v1/tts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
    signal,
  });
}

async function allEvents(response: Response) {
  const events: Array<{ event: string; data: unknown }> = [];
  for await (const { event, data } of readServerSentEvents(response.body!)) {
    events.push({ event, data: JSON.parse(data) as unknown });
  }
  return events;
}

describe('POST /api/v1/tts with Accept: text/event-stream (e2e)', () => {
  let emulator: RunningEmulator;
  let service: HttpSpeechApp;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    service = await startHttpSpeechApp({
      emulator,
      pools: { tts: { warmSize: 1, maxSize: 1, voice: 'en-US-JennyNeural' } },
    });
  });
  afterEach(async () => {
    emulator.reset();
    // The books balance once the synthesizer is back (a broken one replaced: destroyed, a new one created).
    await waitFor(() => {
      const s = service.tts.snapshot();
      return (
        s.inUse === 0 &&
        s.pendingAcquires === 0 &&
        s.metrics.resourcesCreated - s.metrics.resourcesDestroyed === s.size
      );
    }, 'synthesizer back, books balanced');
  });
  afterAll(async () => {
    await service.close();
    await emulator.close();
  });

  it('answers audio, word and done events; the audio events joined are the plain answer, byte for byte', async () => {
    const response = await ttsEvents(service, { text: TEXT, format: 'wav-16k', words: true });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(['warm', 'cold']).toContain(response.headers.get('x-warmline-tier'));
    const events = await allEvents(response);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.data).toEqual({
      ok: true,
      requestId: expect.any(String),
      tier: response.headers.get('x-warmline-tier'),
      firstByteMs: expect.any(Number),
      totalMs: expect.any(Number),
      bytes: expect.any(Number),
    });
    const audio = events
      .filter((e) => e.event === 'audio')
      .map((e) => e.data as { seq: number; audio: string });
    expect(audio.map((a) => a.seq)).toEqual(audio.map((_, i) => i));
    const joined = Buffer.concat(audio.map((a) => Buffer.from(a.audio, 'base64')));

    const plain = await fetch(`${service.url}/api/v1/tts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: TEXT, format: 'wav-16k' }),
    });
    expect(joined.equals(Buffer.from(await plain.arrayBuffer()))).toBe(true);
    expect((done.data as { bytes: number }).bytes).toBe(joined.length - 44); // the header rides on the first chunk

    // Every word, in order, each before the audio event holding its start (16 kHz PCM: 32 bytes per ms).
    const wordsSeen = events.filter((e) => e.event === 'word').map((e) => e.data as TtsWord);
    expect(wordsSeen.map((w) => w.text).join(' ')).toBe(TEXT.replace(/[.,]/g, ''));
    let sentMs = 0;
    for (const e of events) {
      if (e.event === 'audio') {
        const bytes = Buffer.from((e.data as { audio: string }).audio, 'base64').length;
        sentMs += (bytes - ((e.data as { seq: number }).seq === 0 ? 44 : 0)) / 32;
      } else if (e.event === 'word') {
        expect(sentMs).toBeLessThanOrEqual((e.data as TtsWord).offsetMs + 0.5);
      }
    }
  });

  it('without words: no word events', async () => {
    const events = await allEvents(await ttsEvents(service, { text: 'No words please.', format: 'pcm-16k' }));
    expect(new Set(events.map((e) => e.event))).toEqual(new Set(['audio', 'done']));
  });

  it('a failure mid-stream is an error event with the problem document', async () => {
    emulator.setFaults({ dropMidStreamNext: 1 });
    const events = await allEvents(await ttsEvents(service, { text: TEXT, format: 'pcm-16k' }));
    const last = events.at(-1)!;
    expect(last.event).toBe('error');
    expect(last.data).toMatchObject({
      status: 502,
      code: expect.stringMatching(/^UPSTREAM_/),
      retryable: true,
    });
  });

  it('bad input is an ordinary problem response, before any event', async () => {
    const response = await ttsEvents(service, { text: '', words: true });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('a client that goes away cancels the synthesis and frees the synthesizer', async () => {
    emulator.setFaults({ realtimeFactor: 1 });
    const controller = new AbortController();
    const response = await ttsEvents(service, { text: TEXT.repeat(5), format: 'pcm-16k' }, controller.signal);
    const reader = readServerSentEvents(response.body!);
    const first = await reader.next();
    expect(first.done === true ? null : first.value.event).toBe('audio');
    controller.abort();
    await waitFor(() => service.tts.snapshot().inUse === 0, 'synthesizer released');
  });
});
