import { SpeechError } from '../speech/speech-error';
import {
  MAX_AUDIO_BYTES,
  sttStartSchema,
  sttStopSchema,
  ttsCancelSchema,
  ttsSynthesizeSchema,
} from '../protocol/client-payloads';
import { parseAudioFrame, parsePayload } from './parse-payload';

function badRequestMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SpeechError);
    expect((error as SpeechError).code).toBe('BAD_REQUEST');
    return (error as SpeechError).message;
  }
  throw new Error('expected a BAD_REQUEST');
}

describe('tts.synthesize payload', () => {
  const parse = (payload: unknown) => parsePayload(ttsSynthesizeSchema, payload);

  it('accepts text or ssml with every optional field', () => {
    expect(parse({ text: 'Hello <world> & "friends"' })).toEqual({ text: 'Hello <world> & "friends"' });
    expect(
      parse({
        ssml: '<speak>hi</speak>',
        voice: 'en-US-Andrew:DragonHDLatestNeural',
        format: 'pcm-48k',
        requestId: 'r-1',
      }),
    ).toMatchObject({ format: 'pcm-48k', requestId: 'r-1' });
    expect(parse({ text: 'x'.repeat(5_000) }).text).toHaveLength(5_000);
  });

  it.each([
    ['no payload', undefined, /expected object/],
    ['a string', 'hello', /^the payload must be a JSON object, not a string$/],
    ['a number', 42, /not a number$/],
    ['null', null, /not null$/],
    ['an array', [{ text: 'hi' }], /not an array$/],
    ['binary data', Buffer.alloc(250_000), /^the payload must be a JSON object, not binary data$/],
    ['a typed array', new Uint8Array(8), /not binary data$/],
    ['neither text nor ssml', {}, /exactly one of text or ssml/],
    ['both text and ssml', { text: 'a', ssml: '<speak>a</speak>' }, /exactly one of text or ssml/],
    ['text over 5,000 characters', { text: 'x'.repeat(5_001) }, /^text: .*5000/],
    ['blank text', { text: '   ' }, /^text: must not be empty/],
    ['non-string text', { text: 5 }, /^text: /],
    ['an unknown format', { text: 'hi', format: 'mp3' }, /^format: /],
    ['a voice with markup', { text: 'hi', voice: 'en-US"><x' }, /^voice: /],
    ['a voice with spaces', { text: 'hi', voice: 'en US' }, /^voice: /],
    ['an empty requestId', { text: 'hi', requestId: '' }, /^requestId: /],
    ['a requestId over 64 characters', { text: 'hi', requestId: 'r'.repeat(65) }, /^requestId: .*64/],
    ['a numeric requestId', { text: 'hi', requestId: 7 }, /^requestId: /],
    ['an unknown field', { text: 'hi', formt: 'pcm-16k' }, /formt/],
  ])('rejects %s', (_name, payload, message) => {
    expect(badRequestMessage(() => parse(payload))).toMatch(message);
  });

  it('names only the first problems of a payload with many', () => {
    const payload = Object.fromEntries(Array.from({ length: 1_000 }, (_v, i) => [`field${i}`, i]));
    const message = badRequestMessage(() => parse({ text: 'hi', ...payload }));
    expect(message.length).toBeLessThanOrEqual(500);
  });
});

describe('tts.cancel payload', () => {
  it('requires a requestId', () => {
    expect(parsePayload(ttsCancelSchema, { requestId: 'a' })).toEqual({ requestId: 'a' });
    expect(badRequestMessage(() => parsePayload(ttsCancelSchema, {}))).toMatch(/requestId/);
    expect(badRequestMessage(() => parsePayload(ttsCancelSchema, undefined))).toMatch(/expected object/);
    expect(badRequestMessage(() => parsePayload(ttsCancelSchema, Buffer.alloc(250_000)))).toBe(
      'the payload must be a JSON object, not binary data',
    );
  });
});

describe('stt.start payload', () => {
  it('accepts no payload, and each declared sample rate', () => {
    expect(parsePayload(sttStartSchema, undefined)).toBeUndefined();
    for (const sampleRate of [8_000, 16_000, 24_000, 48_000]) {
      expect(parsePayload(sttStartSchema, { sampleRate, language: 'de-DE' })).toEqual({
        sampleRate,
        language: 'de-DE',
      });
    }
    expect(parsePayload(sttStartSchema, { language: 'zh-Hans-CN' })).toEqual({ language: 'zh-Hans-CN' });
  });

  it.each([
    ['an odd sample rate', { sampleRate: 44_100 }, /^sampleRate: /],
    ['a string sample rate', { sampleRate: '16000' }, /^sampleRate: /],
    ['a bogus language', { language: 'english please' }, /^language: /],
    ['null', null, /not null/],
    ['an unknown field', { lang: 'en-US' }, /lang/],
  ])('rejects %s', (_name, payload, message) => {
    expect(badRequestMessage(() => parsePayload(sttStartSchema, payload))).toMatch(message);
  });
});

describe('stt.stop payload', () => {
  it('accepts nothing or a requestId', () => {
    expect(parsePayload(sttStopSchema, undefined)).toBeUndefined();
    expect(parsePayload(sttStopSchema, { requestId: 'x' })).toEqual({ requestId: 'x' });
    expect(badRequestMessage(() => parsePayload(sttStopSchema, 'x'))).toMatch(/not a string/);
  });
});

describe('stt.audio frames', () => {
  it('accepts Buffers, ArrayBuffers and typed arrays of even length up to 64 KiB', () => {
    expect(parseAudioFrame(Buffer.alloc(MAX_AUDIO_BYTES))).toHaveLength(MAX_AUDIO_BYTES);
    expect(parseAudioFrame(new ArrayBuffer(4))).toHaveLength(4);
    const view = new Int16Array([1, 2, 3]);
    const frame = parseAudioFrame(view);
    expect(frame).toHaveLength(6);
    expect(frame.readInt16LE(2)).toBe(2);
  });

  it.each([
    ['text', 'pcm', /binary/],
    ['an object', { audio: [] }, /binary/],
    ['nothing', undefined, /binary/],
    ['an empty frame', Buffer.alloc(0), /empty/],
    ['an odd length', Buffer.alloc(3), /even length/],
    ['an oversized frame', Buffer.alloc(MAX_AUDIO_BYTES + 2), /65538 bytes; the limit is 65536/],
  ])('rejects %s', (_name, data, message) => {
    expect(badRequestMessage(() => parseAudioFrame(data))).toMatch(message);
  });
});
