import { expect } from '@jest/globals';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import OpenAI, { toFile } from 'openai';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import { toWav } from '../src/speech/wav-header';
import { concatPcm, silencePcm } from './support/emulator/capture-path';
import { synthesizeTimed, type TimedSynthesis } from './support/emulator/timed-synthesis';
import { startHttpSpeechApp, type HttpSpeechApp } from './support/app/http-speech-app';
import { waitFor } from './support/wait-for';
import { readServerSentEvents, type ServerSentEvent } from './support/app/server-sent-events';

jest.setTimeout(90_000);

const JENNY = 'en-US-JennyNeural';
const KATJA = 'de-DE-KatjaNeural';
const LEAD_MS = 400;

const words = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);

function wavOf(...parts: Int16Array[]): Buffer {
  const pcm = concatPcm(...parts);
  return toWav(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength), 16_000);
}

describe('POST /v1/audio/transcriptions with the official openai client (e2e)', () => {
  let emulator: RunningEmulator;
  let service: HttpSpeechApp;
  let openai: OpenAI;
  const settingsSeen: Array<Record<string, unknown>> = [];
  /** Two sentences a second apart: two segments, with the emulator's own word boundaries. */
  let spoken: TimedSynthesis;
  let wav: Buffer;

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      voice: 'synthetic',
      logger: {
        debug: (message, fields) => {
          if (message === 'recognition settings' && fields) settingsSeen.push(fields);
        },
        info: () => undefined,
        warn: () => undefined,
      },
    });
    service = await startHttpSpeechApp({ emulator });
    openai = new OpenAI({ apiKey: 'unused-on-loopback', baseURL: `${service.url}/v1`, maxRetries: 0 });
    spoken = await synthesizeTimed(
      emulator,
      JENNY,
      'Open the window. <break time="1000ms"/> Close the door.',
    );
    wav = wavOf(silencePcm(LEAD_MS), spoken.audio, silencePcm(300));
  });
  afterAll(async () => {
    await service.close();
    await emulator.close();
  });

  const file = () => toFile(wav, 'speech.wav', { type: 'audio/wav' });

  it('verbose_json with word and segment timestamps: words at the boundaries the emulator spoke them', async () => {
    const verbose = await openai.audio.transcriptions.create({
      file: await file(),
      model: 'whisper-1',
      response_format: 'verbose_json',
      timestamp_granularities: ['word', 'segment'],
    });
    expect(verbose).toMatchObject({ task: 'transcribe', language: 'english' });
    expect(words(verbose.text)).toEqual(words('Open the window. Close the door.'));
    expect(verbose.duration).toBeCloseTo((wav.length - 44) / 2 / 16_000, 2);

    // As written in the text (capitals kept, punctuation dropped), as Whisper gives them.
    expect(verbose.words?.map((w) => w.word)).toEqual(['Open', 'the', 'window', 'Close', 'the', 'door']);
    verbose.words?.forEach((w, i) => {
      const truth = spoken.words[i];
      expect(Math.abs(w.start * 1000 - (LEAD_MS + truth.offsetMs))).toBeLessThan(20);
      expect(Math.abs(w.end * 1000 - (LEAD_MS + truth.offsetMs + truth.durationMs))).toBeLessThan(20);
    });

    const segments = verbose.segments ?? [];
    expect(segments.map((s) => words(s.text))).toEqual([words('Open the window.'), words('Close the door.')]);
    expect(segments[0]).toEqual({
      id: 0,
      seek: 0,
      start: expect.any(Number),
      end: expect.any(Number),
      text: expect.any(String),
      tokens: [],
      temperature: 0,
      avg_logprob: 0,
      compression_ratio: expect.any(Number),
      no_speech_prob: 0,
    });
    expect(segments[1].id).toBe(1);
    // Each segment spans its words.
    const [first, second] = segments;
    expect(first.start).toBeLessThanOrEqual(verbose.words![0].start + 0.02);
    expect(first.end).toBeGreaterThanOrEqual(verbose.words![2].end - 0.02);
    expect(second.start).toBeGreaterThan(first.end + 0.5);
  });

  it('timestamp_granularities: segments by default, words alone when only words are asked for', async () => {
    const byDefault = await openai.audio.transcriptions.create({
      file: await file(),
      model: 'whisper-1',
      response_format: 'verbose_json',
    });
    expect(byDefault.segments).toHaveLength(2);
    expect(byDefault.words).toBeUndefined();
    const wordsOnly = await openai.audio.transcriptions.create({
      file: await file(),
      model: 'whisper-1',
      response_format: 'verbose_json',
      timestamp_granularities: ['word'],
    });
    expect(wordsOnly.segments).toBeUndefined();
    expect(wordsOnly.words).toHaveLength(6);
  });

  it('json, text, srt and vtt: the same transcript, the subtitles timed as the segments', async () => {
    const verbose = await openai.audio.transcriptions.create({
      file: await file(),
      model: 'whisper-1',
      response_format: 'verbose_json',
    });
    const json = await openai.audio.transcriptions.create({ file: await file(), model: 'whisper-1' });
    expect(json).toEqual({ text: verbose.text });
    const text = await openai.audio.transcriptions.create({
      file: await file(),
      model: 'whisper-1',
      response_format: 'text',
    });
    expect(text).toBe(verbose.text);

    const stamp = (seconds: number, separator: string): string => {
      const ms = Math.round(seconds * 1000);
      const pad = (n: number, width = 2) => String(n).padStart(width, '0');
      return `00:00:${pad(Math.floor(ms / 1000))}${separator}${pad(ms % 1000, 3)}`;
    };
    const [a, b] = verbose.segments ?? [];
    const srt = await openai.audio.transcriptions.create({
      file: await file(),
      model: 'whisper-1',
      response_format: 'srt',
    });
    expect(srt).toBe(
      `1\n${stamp(a.start, ',')} --> ${stamp(a.end, ',')}\n${a.text}\n\n` +
        `2\n${stamp(b.start, ',')} --> ${stamp(b.end, ',')}\n${b.text}\n\n`,
    );
    const vtt = await openai.audio.transcriptions.create({
      file: await file(),
      model: 'whisper-1',
      response_format: 'vtt',
    });
    expect(vtt).toBe(
      `WEBVTT\n\n${stamp(a.start, '.')} --> ${stamp(a.end, '.')}\n${a.text}\n\n` +
        `${stamp(b.start, '.')} --> ${stamp(b.end, '.')}\n${b.text}\n\n`,
    );
  });

  it('stream: transcript.text.delta events as text is recognized, then transcript.text.done', async () => {
    const stream = await openai.audio.transcriptions.create({
      file: await file(),
      model: 'gpt-4o-transcribe',
      stream: true,
    });
    const events: Array<{ type: string; delta?: string; text?: string }> = [];
    for await (const event of stream) events.push(event);
    const done = events.at(-1);
    expect(done).toMatchObject({ type: 'transcript.text.done', usage: { type: 'tokens' } });
    expect(words(done?.text ?? '')).toEqual(words('Open the window. Close the door.'));
    const deltas = events.slice(0, -1);
    // Partials and finals each give text: more deltas than the two utterances.
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.every((e) => e.type === 'transcript.text.delta')).toBe(true);
    expect(words(deltas.map((e) => e.delta).join(''))).toEqual(words(done?.text ?? ''));
    expect(deltas.map((e) => e.delta).join('')).toMatch(/^\S.*\S$/); // single spaces between, none outside
  });

  /**
   * A streamed transcription with the language before the file, sent up to the pause after the first sentence:
   * resolves with the events once the answer has begun (the upload, still open, is returned to finish).
   */
  async function streamFirstSentence() {
    const pcm = wav.subarray(44);
    const secondAt = Math.round(((LEAD_MS + spoken.words[3].offsetMs - 200) * 16_000) / 1000) * 2;
    const boundary = 'warmline-test-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="language"\r\n\r\nen\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="stream"\r\n\r\ntrue\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n` +
        `Content-Type: audio/wav\r\n\r\n`,
    );
    const upload = httpRequest(`${service.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    const answered = new Promise<IncomingMessage>((resolve, reject) => {
      upload.on('response', resolve);
      upload.on('error', reject);
    });
    upload.write(Buffer.concat([head, wav.subarray(0, 44), pcm.subarray(0, secondAt)]));
    const response = await answered; // the answer begins with the first delta: before the rest was sent
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream');
    const events = readServerSentEvents(Readable.toWeb(response) as ReadableStream<Uint8Array>);
    const first = (await events.next()).value as ServerSentEvent | undefined;
    expect(JSON.parse(first?.data ?? '{}')).toMatchObject({ type: 'transcript.text.delta' });
    const rest = async () => {
      const parsed: Array<{ type: string; text?: string; error?: { message: string } }> = [];
      for await (const event of events) parsed.push(JSON.parse(event.data) as (typeof parsed)[number]);
      return parsed;
    };
    return { upload, rest, remaining: pcm.subarray(secondAt), tail: Buffer.from(`\r\n--${boundary}--\r\n`) };
  }

  it('stream: deltas go out while the upload is still arriving (language before the file)', async () => {
    const { upload, rest, remaining, tail } = await streamFirstSentence();
    upload.end(Buffer.concat([remaining, tail]));
    const events = await rest();
    expect(events.at(-1)?.type).toBe('transcript.text.done');
    expect(words(events.at(-1)?.text ?? '')).toEqual(words('Open the window. Close the door.'));
  });

  it('stream: a failure after the first delta is a last error event; the recognizer goes back', async () => {
    const { upload, rest, remaining } = await streamFirstSentence();
    upload.end(remaining); // the form never ends: no closing boundary
    const events = await rest();
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', code: 'bad_request', message: expect.stringMatching(/form/) },
    });
    await waitFor(() => service.stt.snapshot().inUse === 0, 'the recognizer back');
  });

  it('language and prompt: the locale it names, and the prompt words as the phrase list', async () => {
    const german = await synthesizeTimed(emulator, KATJA, 'Guten Morgen, wie kann ich helfen?');
    settingsSeen.length = 0;
    const raw = await openai.audio.transcriptions
      .create({
        file: await toFile(wavOf(silencePcm(300), german.audio, silencePcm(300)), 'de.wav'),
        model: 'whisper-1',
        language: 'de',
        prompt: 'Contoso, Fabrikam... and Contoso!',
        response_format: 'verbose_json',
      })
      .withResponse();
    expect(raw.response.headers.get('x-warmline-language')).toBe('de-DE');
    expect(raw.data.language).toBe('german');
    expect(words(raw.data.text)).toEqual(words('Guten Morgen, wie kann ich helfen?'));
    expect(settingsSeen.at(-1)).toMatchObject({ phrases: 3 }); // Fabrikam, and, Contoso
  });

  it.each([
    [{ response_format: 'docx' }, /response_format: must be one of json, text, srt, vtt, verbose_json/],
    [{ response_format: 'json', timestamp_granularities: ['word'] }, /verbose_json/],
    [{ response_format: 'verbose_json', timestamp_granularities: ['char'] }, /must be word or segment/],
    [{ response_format: 'srt', stream: true }, /stream: not supported with response_format srt/],
    [{ language: 'klingon' }, /language/],
    [{ model: 'gpt-5' }, /model: must be one of whisper-1/],
  ])('%j is a 400 the client surfaces, before a recognizer is taken', async (fields, message) => {
    const before = service.stt.snapshot().metrics.allocationsTotal;
    const failure = await openai.audio.transcriptions
      .create({ file: await file(), model: 'whisper-1', ...fields } as never)
      .then(
        async (result: unknown) => {
          // A stream only fails when read.
          if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) {
            for await (const _ of result as AsyncIterable<unknown>);
          }
          return result;
        },
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    const error = failure as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
    expect(service.stt.snapshot().metrics.allocationsTotal).toBe(before);
  });
});
