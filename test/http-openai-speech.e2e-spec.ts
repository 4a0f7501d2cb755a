import { expect } from '@jest/globals';
import OpenAI from 'openai';
import { Mp3DurationMeter } from '../src/batch/mp3-duration';
import { decodeWithFfmpeg, describeWithAudioTools } from './support/audio/audio-tools';
import { startHttpSpeechApp, type HttpSpeechApp } from './support/app/http-speech-app';

jest.setTimeout(60_000);

const TEXT = 'The quick brown fox jumps over the lazy dog.';
type SpeechFormat = 'mp3' | 'opus' | 'aac' | 'flac' | 'wav' | 'pcm';
type SpeechParams = OpenAI.Audio.SpeechCreateParams;

describe('OpenAI speech formats, SSE, instructions, models and voices with the official client (e2e)', () => {
  let service: HttpSpeechApp;
  let openai: OpenAI;
  /** The reference: the same speech as raw 24 kHz samples. */
  let pcm: Buffer;

  beforeAll(async () => {
    service = await startHttpSpeechApp();
    openai = new OpenAI({ apiKey: 'unused-on-loopback', baseURL: `${service.url}/v1`, maxRetries: 0 });
    pcm = (await speech('pcm')).body;
  });
  afterAll(() => service.close());

  async function speech(
    format: SpeechFormat,
    extra: Partial<SpeechParams> = {},
  ): Promise<{ body: Buffer; headers: Headers }> {
    const { data, response } = await openai.audio.speech
      .create({ model: 'tts-1', voice: 'nova', input: TEXT, response_format: format, ...extra })
      .withResponse();
    return { body: Buffer.from(await data.arrayBuffer()), headers: response.headers };
  }

  const seconds = (samples: Buffer): number => samples.length / 2 / 24_000;

  it('speaks raw pcm: 16-bit samples, no header, over a second of speech', () => {
    expect(pcm.length % 2).toBe(0);
    expect(pcm.toString('ascii', 0, 4)).not.toBe('RIFF');
    expect(seconds(pcm)).toBeGreaterThan(1);
  });

  it('speaks mp3: MPEG frames as long as the pcm', async () => {
    const { body, headers } = await speech('mp3');
    expect(headers.get('content-type')).toBe('audio/mpeg');
    expect(body[0]).toBe(0xff);
    expect(body[1] & 0xe0).toBe(0xe0); // frame sync
    const meter = new Mp3DurationMeter();
    meter.push(body);
    expect(meter.durationSeconds).toBeCloseTo(seconds(pcm), 0);
  });

  it('speaks wav: the pcm behind a RIFF header', async () => {
    const { body, headers } = await speech('wav');
    expect(headers.get('content-type')).toBe('audio/wav');
    expect(body.toString('ascii', 0, 4)).toBe('RIFF');
    expect(body.toString('ascii', 8, 12)).toBe('WAVE');
    expect(body.readUInt32LE(24)).toBe(24_000);
    expect(body.subarray(44).equals(pcm)).toBe(true);
  });

  describeWithAudioTools('compressed formats (checked by decoding them with ffmpeg)', () => {
    const cases: Array<[SpeechFormat, string, string, (file: Buffer) => void]> = [
      [
        'opus',
        'audio/ogg; codecs=opus',
        'opus',
        (file) => {
          expect(file.toString('ascii', 0, 4)).toBe('OggS');
          expect(file.toString('ascii', 28, 36)).toBe('OpusHead');
        },
      ],
      ['flac', 'audio/flac', 'flac', (file) => expect(file.toString('ascii', 0, 4)).toBe('fLaC')],
      [
        'aac',
        'audio/aac',
        'aac',
        (file) => {
          // ADTS: a 12-bit sync word, then MPEG-4 (ID 0) with no CRC; profile AAC-LC; 24 kHz (index 6).
          expect(file.readUInt16BE(0) & 0xfff6).toBe(0xfff0);
          expect(file[2] >> 6).toBe(1);
          expect((file[2] >> 2) & 0x0f).toBe(6);
        },
      ],
      ['mp3', 'audio/mpeg', 'mp3', () => undefined],
      ['wav', 'audio/wav', 'pcm_s16le', () => undefined],
    ];

    it.each(cases)(
      'speaks %s: a valid file of its type that decodes to the speech',
      async (format, type, codec, magic) => {
        const { body, headers } = await speech(format);
        expect(headers.get('content-type')).toBe(type);
        magic(body);
        const decoded = decodeWithFfmpeg(body);
        expect(decoded.codec).toBe(codec);
        // Encoders add a little padding at either end; the speech itself is all there.
        expect(Math.abs(seconds(decoded.pcm) - seconds(pcm))).toBeLessThan(0.15);
        if (format === 'flac' || format === 'wav')
          expect(decoded.pcm.equals(pcm)).toBe(true); // lossless
        else expect(loudness(decoded.pcm)).toBeGreaterThan(loudness(pcm) / 4); // sound, not silence
      },
    );

    it('streams flac as server-sent events: the same file, in deltas', async () => {
      const file = (await speech('flac')).body;
      const events = await sse('flac');
      expect(events.at(-1)?.type).toBe('speech.audio.done');
      expect(Buffer.concat(deltas(events)).equals(file)).toBe(true);
    });
  });

  /** The events of an SSE speech answer, in order. */
  async function sse(format: SpeechFormat): Promise<Array<{ type: string; audio?: string }>> {
    const { data, response } = await openai.audio.speech
      .create({
        model: 'gpt-4o-mini-tts',
        voice: 'nova',
        input: TEXT,
        response_format: format,
        stream_format: 'sse',
      })
      .withResponse();
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const text = await data.text();
    return text
      .split('\n\n')
      .filter((block) => block.trim() !== '')
      .map((block) => {
        expect(block.startsWith('data: ')).toBe(true);
        return JSON.parse(block.slice('data: '.length)) as { type: string; audio?: string };
      });
  }

  function deltas(events: Array<{ type: string; audio?: string }>): Buffer[] {
    return events
      .filter((event) => event.type === 'speech.audio.delta')
      .map((event) => Buffer.from(event.audio ?? '', 'base64'));
  }

  it('streams speech as server-sent events: deltas carrying the wav file, then done', async () => {
    const events = await sse('wav');
    expect(events.length).toBeGreaterThan(2);
    expect(events.slice(0, -1).every((event) => event.type === 'speech.audio.delta')).toBe(true);
    expect(events.at(-1)).toEqual({
      type: 'speech.audio.done',
      usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
    });
    const file = Buffer.concat(deltas(events));
    expect(file.toString('ascii', 0, 4)).toBe('RIFF');
    expect(file.subarray(44).equals(pcm)).toBe(true);
  });

  it('maps instructions to a speaking style of the voice, and says so', async () => {
    const styled = await speech('pcm', { instructions: 'Speak in a cheerful, upbeat tone.' });
    expect(styled.headers.get('x-warmline-instructions')).toBe('style=cheerful');
    expect(seconds(styled.body)).toBeGreaterThan(1);
    const synonym = await speech('pcm', { voice: 'onyx', instructions: 'Like a news reader would, please' });
    expect(synonym.headers.get('x-warmline-instructions')).toBe('style=newscast');
  });

  it('says when instructions were ignored, and why', async () => {
    const plain = await speech('pcm', { voice: 'alloy', instructions: 'Speak in a cheerful tone.' });
    expect(plain.headers.get('x-warmline-instructions')).toBe(
      'ignored: en-US-AvaNeural has no speaking styles',
    );
    expect(seconds(plain.body)).toBeGreaterThan(1);
    const unmatched = await speech('pcm', { instructions: 'Sound like a pirate.' });
    expect(unmatched.headers.get('x-warmline-instructions')).toMatch(
      /^ignored: no speaking style of en-US-JennyNeural matches \(it has assistant, chat, /,
    );
    const none = await speech('pcm');
    expect(none.headers.get('x-warmline-instructions')).toBeNull();
  });

  it("accepts OpenAI's whole speed range (the voices speak what they can of it)", async () => {
    for (const speed of [0.25, 4]) {
      expect(seconds((await speech('pcm', { speed })).body)).toBeGreaterThan(1);
    }
  });

  it.each<[string, Partial<SpeechParams> | Record<string, unknown>, RegExp]>([
    ['speed too low', { speed: 0.2 }, /^400 speed: /],
    ['speed too high', { speed: 4.5 }, /^400 speed: /],
    [
      'an unknown format',
      { response_format: 'ogg' },
      /^400 response_format: must be one of mp3, opus, aac, flac, wav, pcm/,
    ],
    [
      'an unknown model',
      { model: 'whisper-1' },
      /^400 model: must be one of tts-1, tts-1-hd, gpt-4o-mini-tts/,
    ],
    ['an unknown stream format', { stream_format: 'chunks' }, /^400 stream_format: must be audio or sse/],
  ])('answers %s with a 400 the client surfaces', async (_name, extra, message) => {
    const failure = await openai.audio.speech
      .create({ model: 'tts-1', voice: 'nova', input: TEXT, ...(extra as Partial<SpeechParams>) })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    const error = failure as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
    expect(error.code).toBe('bad_request');
    expect(error.type).toBe('invalid_request_error');
  });

  it('lists the accepted models, and finds one by name', async () => {
    const ids: string[] = [];
    for await (const model of openai.models.list()) ids.push(model.id);
    expect(ids).toEqual([
      'tts-1',
      'tts-1-hd',
      'gpt-4o-mini-tts',
      'whisper-1',
      'gpt-4o-transcribe',
      'gpt-4o-mini-transcribe',
    ]);
    expect(await openai.models.retrieve('tts-1')).toEqual({
      id: 'tts-1',
      object: 'model',
      created: 0,
      owned_by: 'warmline',
    });
    await expect(openai.models.retrieve('dall-e-3')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("lists the voices: OpenAI's six with the Azure voices they map to, then the upstream's", async () => {
    const list = await openai.get<{ object: string; data: Array<Record<string, unknown>> }>('/audio/voices');
    expect(list.object).toBe('list');
    expect(list.data.slice(0, 6).map((voice) => [voice.id, voice.azure_voice])).toEqual([
      ['alloy', 'en-US-AvaNeural'],
      ['echo', 'en-US-AndrewNeural'],
      ['fable', 'en-GB-RyanNeural'],
      ['onyx', 'en-US-GuyNeural'],
      ['nova', 'en-US-JennyNeural'],
      ['shimmer', 'en-US-AriaNeural'],
    ]);
    expect(list.data[4]).toMatchObject({ object: 'voice', locale: 'en-US', gender: 'Female' });
    expect(list.data[4].styles).toContain('cheerful');
    expect(list.data[0].styles).toEqual([]);
    expect(list.data.slice(6)).toContainEqual(
      expect.objectContaining({ id: 'de-DE-KatjaNeural', azure_voice: 'de-DE-KatjaNeural', locale: 'de-DE' }),
    );
  });
});

/** Root mean square of 16-bit samples. */
function loudness(samples: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < samples.length; i += 2) sum += samples.readInt16LE(i) ** 2;
  return Math.sqrt(sum / Math.max(1, samples.length / 2));
}
