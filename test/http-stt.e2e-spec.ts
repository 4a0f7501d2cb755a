import { expect } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { waitFor } from './support/wait-for';
import { startHttpSpeechApp, type HttpSpeechApp } from './support/app/http-speech-app';

jest.setTimeout(60_000);

const TEXT = 'Streaming uploads reach the recognizer as they arrive.';

async function synthesizeWav(service: HttpSpeechApp, text: string, format = 'wav-16k'): Promise<Buffer> {
  const response = await fetch(`${service.url}/api/v1/tts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, format }),
  });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

/** A chunked POST whose body is written piece by piece; `write` sends the next piece, `end` finishes it. */
function chunkedUpload(url: string, headers: Record<string, string>) {
  const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
  });
  return {
    write: (chunk: Buffer) => req.write(chunk),
    end: () => req.end(),
    abort: () => req.destroy(),
    answer,
  };
}

describe('POST /api/v1/stt (e2e)', () => {
  let service: HttpSpeechApp;

  beforeAll(async () => {
    service = await startHttpSpeechApp();
  });
  afterAll(() => service.close());

  it('recognizes a WAV upload: text, segments, tier and duration', async () => {
    const wav = await synthesizeWav(service, TEXT);
    const response = await fetch(`${service.url}/api/v1/stt?language=en-US`, {
      method: 'POST',
      headers: { 'content-type': 'audio/wav' },
      body: wav,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      text: TEXT,
      segments: [{ text: TEXT, offsetMs: expect.any(Number), durationMs: expect.any(Number) }],
      tier: expect.stringMatching(/^(warm|cold|dedicated)$/),
      durationMs: Math.round(((wav.length - 44) / 2 / 16_000) * 1000),
    });
  });

  it('resamples a 24 kHz WAV (the default TTS format) for a WARM recognizer: the answer and the pool agree', async () => {
    const wav = await synthesizeWav(service, TEXT, 'wav-24k');
    expect(wav.readUInt32LE(24)).toBe(24_000);
    // Let the recognizer taken by any earlier test be replaced, so the warm stack is full.
    await waitFor(() => service.stt.snapshot().warmPoolSize >= 1, 'a warm recognizer');
    const before = service.stt.snapshot().metrics;
    const response = await fetch(`${service.url}/api/v1/stt?language=en-US`, {
      method: 'POST',
      headers: { 'content-type': 'audio/wav' },
      body: wav,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      text: TEXT,
      segments: [{ text: TEXT, offsetMs: expect.any(Number), durationMs: expect.any(Number) }],
      tier: 'warm',
      // The upload's own length, at its own rate.
      durationMs: Math.round(((wav.length - 44) / 2 / 24_000) * 1000),
    });
    const after = service.stt.snapshot().metrics;
    expect(after.allocationsWarm - before.allocationsWarm).toBe(1);
    expect(after.allocationsCold - before.allocationsCold).toBe(0);
  });

  it('streams the upload into the recognizer as it arrives (the recognizer runs before the upload ends)', async () => {
    const wav = await synthesizeWav(service, TEXT);
    const upload = chunkedUpload(`${service.url}/api/v1/stt`, { 'content-type': 'audio/wav' });
    const half = 44 + Math.floor((wav.length - 44) / 4) * 2;
    upload.write(wav.subarray(0, half));
    // Half the audio is sent and the request is still open: a recognizer is already out of the pool, working.
    await waitFor(() => service.stt.snapshot().inUse === 1, 'a recognizer taken for the upload in progress');
    upload.write(wav.subarray(half));
    upload.end();
    const { status, body } = await upload.answer;
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ text: TEXT });
    await waitFor(() => service.stt.snapshot().inUse === 0, 'the recognizer back in the pool');
  });

  it('a client that goes away mid-upload gives its recognizer back; the books balance', async () => {
    const wav = await synthesizeWav(service, TEXT);
    const upload = chunkedUpload(`${service.url}/api/v1/stt`, { 'content-type': 'audio/wav' });
    upload.answer.catch(() => undefined);
    upload.write(wav.subarray(0, 8_044));
    await waitFor(() => service.stt.snapshot().inUse === 1, 'a recognizer taken for the upload');
    upload.abort();
    await waitFor(() => service.stt.snapshot().inUse === 0, 'the recognizer back in the pool');
    // The single-use recognizer is destroyed and replaced in the background: the books settle balanced.
    await waitFor(() => {
      const { metrics, size } = service.stt.snapshot();
      return metrics.resourcesCreated - metrics.resourcesDestroyed === size;
    }, 'created - destroyed = live recognizers');
  });

  it('raw L16, and OpenAI transcriptions with the language before or after the file', async () => {
    const pcm = await synthesizeWav(service, TEXT, 'pcm-16k');
    const raw = await fetch(`${service.url}/api/v1/stt`, {
      method: 'POST',
      headers: { 'content-type': 'audio/L16;rate=16000' },
      body: pcm,
    });
    expect(await raw.json()).toMatchObject({ text: TEXT });

    const wav = await synthesizeWav(service, TEXT);
    for (const order of [
      ['language', 'file'],
      ['file', 'language'],
    ]) {
      const form = new FormData();
      for (const name of order) {
        if (name === 'file') form.append('file', new Blob([wav], { type: 'audio/wav' }), 'a.wav');
        else form.append('language', 'en');
      }
      form.append('model', 'whisper-1');
      const response = await fetch(`${service.url}/v1/audio/transcriptions`, { method: 'POST', body: form });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ text: TEXT });
    }
  });

  it('audio it cannot recognize gives an empty transcript, not an error', async () => {
    const silence = Buffer.alloc(16_000 * 2);
    const response = await fetch(`${service.url}/api/v1/stt`, {
      method: 'POST',
      headers: { 'content-type': 'audio/L16;rate=16000' },
      body: silence,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ text: '', segments: [], durationMs: 1000 });
  });
});
