import { startEmulator, type RunningEmulator } from '../src/emulator';
import { waitFor } from './support/wait-for';
import { startHttpSpeechApp, type HttpSpeechApp } from './support/app/http-speech-app';

jest.setTimeout(60_000);

/** About 25 s of speech: long enough that, paced in real time, it cannot be over by the time we look. */
const LONG_TEXT = Array.from({ length: 30 }, (_, i) => `Sentence number ${i + 1} of a long answer.`).join(
  ' ',
);

function tts(service: HttpSpeechApp, body: object, signal?: AbortSignal): Promise<Response> {
  return fetch(`${service.url}/api/v1/tts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
}

describe('POST /api/v1/tts (e2e)', () => {
  let emulator: RunningEmulator;
  let service: HttpSpeechApp;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    // One synthesizer, so every request shows what happened to it.
    service = await startHttpSpeechApp({
      emulator,
      pools: { tts: { warmSize: 1, maxSize: 1, voice: 'en-US-JennyNeural' } },
    });
  });
  afterEach(() => emulator.reset());
  afterAll(async () => {
    await service.close();
    await emulator.close();
  });

  it.each([
    ['wav-24k', 'audio/wav', 24_000],
    ['wav-16k', 'audio/wav', 16_000],
    ['pcm-16k', 'audio/pcm;rate=16000;channels=1', 16_000],
    // What the voice client offers (Socket.IO's pcm-48k) is offered over HTTP too.
    ['wav-48k', 'audio/wav', 48_000],
    ['pcm-48k', 'audio/pcm;rate=48000;channels=1', 48_000],
    ['mulaw-8k', 'audio/PCMU;rate=8000', 8_000],
    ['alaw-8k', 'audio/PCMA;rate=8000', 8_000],
    ['mp3-24k', 'audio/mpeg', 24_000],
  ])('answers %s as %s with the tier and first-byte headers', async (format, contentType, rate) => {
    const response = await tts(service, { text: 'Hello from warmline.', format });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(['warm', 'dedicated', 'cold']).toContain(response.headers.get('x-warmline-tier'));
    expect(Number(response.headers.get('x-warmline-first-byte-ms'))).toBeGreaterThanOrEqual(0);
    const audio = Buffer.from(await response.arrayBuffer());
    if (format.startsWith('wav')) {
      expect(audio.toString('ascii', 0, 4)).toBe('RIFF');
      expect(audio.readUInt32LE(24)).toBe(rate);
      // Streaming sizes: the length is not known when the header goes out.
      expect(audio.readUInt32LE(40)).toBe(0xffffffff);
    } else if (format === 'mp3-24k') {
      expect(audio[0]).toBe(0xff);
    } else {
      expect(audio.toString('ascii', 0, 4)).not.toBe('RIFF');
    }
    expect(audio.length).toBeGreaterThan(rate / 10);
  });

  it('streams: the first chunk arrives while the synthesis is still running', async () => {
    emulator.setFaults({ realtimeFactor: 1 });
    const response = await tts(service, {
      text: 'One. Two. Three. Four. Five. Six. Seven. Eight.',
      format: 'pcm-16k',
    });
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    // The synthesizer is still out of the pool: the synthesis has not ended, yet audio is here.
    expect(service.tts.snapshot().inUse).toBe(1);
    let bytes = first.value?.length ?? 0;
    for (let next = await reader.read(); !next.done; next = await reader.read()) bytes += next.value.length;
    expect(bytes).toBeGreaterThan((first.value?.length ?? 0) * 2);
    await waitFor(() => service.tts.snapshot().inUse === 0, 'the synthesizer back in the pool');
  });

  it('a client that disconnects mid-stream cancels the turn and gets the synthesizer back, books balanced', async () => {
    emulator.setFaults({ realtimeFactor: 1 });
    const before = service.tts.snapshot().metrics;
    const connectionsBefore = emulator.stats().connectionsTotal;
    const abort = new AbortController();
    const response = await tts(service, { text: LONG_TEXT, format: 'pcm-16k' }, abort.signal);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    abort.abort();
    await waitFor(() => service.tts.snapshot().inUse === 0, 'the synthesizer back in the pool');

    // The upstream turn was stopped rather than left running: the same synthesizer (no new one created, no
    // socket replaced) serves the next request, long before that 25 s turn could have played out.
    emulator.setFaults({ realtimeFactor: 0 });
    const next = await tts(service, { text: 'Next.', format: 'pcm-16k' });
    expect(next.status).toBe(200);
    expect(next.headers.get('x-warmline-tier')).toBe('warm');
    await next.arrayBuffer();
    const after = service.tts.snapshot().metrics;
    expect(after.resourcesCreated).toBe(before.resourcesCreated);
    expect(after.resourcesDestroyed).toBe(before.resourcesDestroyed);
    expect(emulator.stats().connectionsTotal).toBe(connectionsBefore);
    const snapshot = service.tts.snapshot();
    expect(snapshot.metrics.resourcesCreated - snapshot.metrics.resourcesDestroyed).toBe(snapshot.size);
  });

  it('speaks SSML as given', async () => {
    const ssml =
      '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">' +
      '<voice name="en-US-JennyNeural">Hello <break time="300ms"/> there.</voice></speak>';
    const response = await tts(service, { ssml, format: 'pcm-16k' });
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(16_000 * 2 * 0.3);
  });
});

describe('POST /api/v1/tts at shutdown (e2e)', () => {
  it('a synthesis still streaming when the drain time is over is cut off, and every synthesizer is closed', async () => {
    const service = await startHttpSpeechApp({ http: { drainTimeoutMs: 300 } });
    try {
      service.emulator.setFaults({ realtimeFactor: 1 });
      const response = await tts(service, { text: LONG_TEXT, format: 'pcm-16k' });
      expect(response.status).toBe(200);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      const closing = service.close();
      // The body ends without its final chunk: the client can tell the audio is incomplete.
      const rest = (async () => {
        for (let next = await reader.read(); !next.done; next = await reader.read());
      })();
      await expect(rest).rejects.toThrow();
      await closing;
      const { metrics, size } = service.tts.snapshot();
      expect(size).toBe(0);
      expect(metrics.resourcesDestroyed).toBe(metrics.resourcesCreated);
      expect(service.emulator.stats().connectionsOpen).toBe(0);
    } finally {
      await service.close();
    }
  });
});
