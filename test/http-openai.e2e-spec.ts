import { expect } from '@jest/globals';
import OpenAI, { toFile } from 'openai';
import { Mp3DurationMeter } from '../src/batch/mp3-duration';
import { startHttpSpeechApp, type HttpSpeechApp } from './support/app/http-speech-app';

jest.setTimeout(60_000);

const TEXT = 'The quick brown fox jumps over the lazy dog.';

describe('OpenAI-compatible routes with the official openai client (e2e)', () => {
  let service: HttpSpeechApp;
  let openai: OpenAI;

  beforeAll(async () => {
    service = await startHttpSpeechApp();
    openai = new OpenAI({ apiKey: 'unused-on-loopback', baseURL: `${service.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => service.close());

  async function speech(format: 'wav' | 'pcm' | 'mp3', extra: Record<string, unknown> = {}): Promise<Buffer> {
    const response = await openai.audio.speech.create({
      model: 'tts-1',
      voice: 'nova',
      input: TEXT,
      response_format: format,
      ...extra,
    });
    return Buffer.from(await response.arrayBuffer());
  }

  it('speaks wav, and transcribes it back to the same text', async () => {
    const wav = await speech('wav');
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
    expect(wav.readUInt32LE(24)).toBe(24_000);
    expect(wav.length).toBeGreaterThan(44 + 24_000); // more than half a second of speech

    const transcription = await openai.audio.transcriptions.create({
      file: await toFile(wav, 'speech.wav', { type: 'audio/wav' }),
      model: 'whisper-1',
    });
    expect(transcription.text).toBe(TEXT);
  });

  it('speaks raw pcm (24 kHz 16-bit) that transcribes back too', async () => {
    const pcm = await speech('pcm');
    expect(pcm.length % 2).toBe(0);
    expect(pcm.toString('ascii', 0, 4)).not.toBe('RIFF');
    const response = await fetch(`${service.url}/api/v1/stt`, {
      method: 'POST',
      headers: { 'content-type': 'audio/L16;rate=24000' },
      body: pcm,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ text: TEXT, tier: expect.any(String) });
  });

  it('speaks mp3: MPEG frames of 24 kHz audio as long as the pcm', async () => {
    const [mp3, pcm] = await Promise.all([speech('mp3'), speech('pcm')]);
    const meter = new Mp3DurationMeter();
    meter.push(mp3);
    expect(meter.durationSeconds).toBeCloseTo(pcm.length / 2 / 24_000, 0);
  });

  it('answers verbose_json and text like OpenAI', async () => {
    const file = await toFile(await speech('wav'), 'speech.wav', { type: 'audio/wav' });
    const verbose = await openai.audio.transcriptions.create({
      file,
      model: 'whisper-1',
      language: 'en',
      response_format: 'verbose_json',
    });
    expect(verbose).toMatchObject({ task: 'transcribe', language: 'english', text: TEXT });
    expect(verbose.duration).toBeGreaterThan(0.5);
    expect(verbose.segments?.[0]).toMatchObject({ id: 0, text: TEXT });
    const text = await openai.audio.transcriptions.create({
      file: await toFile(await speech('wav'), 'speech.wav', { type: 'audio/wav' }),
      model: 'whisper-1',
      response_format: 'text',
    });
    expect(text).toBe(TEXT);
  });

  it('speaks at another speed (SSML prosody) and still transcribes back', async () => {
    const slow = await speech('wav', { speed: 0.75 });
    const transcription = await openai.audio.transcriptions.create({
      file: await toFile(slow, 'slow.wav'),
      model: 'whisper-1',
    });
    expect(transcription.text).toBe(TEXT);
  });

  it('reports errors in OpenAI shape so the client shows the message', async () => {
    const failure = await openai.audio.speech
      .create({ model: 'tts-1', voice: 'alloy', input: '', response_format: 'wav' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(
      /input: must not be empty/,
    );
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('bad_request');
  });
});
