import { z } from 'zod';
import { STT_SAMPLE_RATES, TTS_FORMATS } from '../speech/audio-format';
import { badRequest, describeZodError } from '../synthesis/error-body';

/** Limits of the voice API (docs/protocol.md). */
export const MAX_TEXT_CHARS = 5_000;
export const MAX_AUDIO_BYTES = 64 * 1024;
export const MAX_REQUEST_ID_CHARS = 64;

/** Printable ASCII without spaces: safe in logs, metrics-free, and what UUIDs and most client ids look like. */
const requestIdSchema = z
  .string()
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
  .max(MAX_REQUEST_ID_CHARS, `must be at most ${MAX_REQUEST_ID_CHARS} characters`);

/**
 * Voice names like `en-US-JennyNeural` or `en-US-Andrew:DragonHDLatestNeural`. The name goes into an XML attribute
 * (escaped anyway); the charset keeps markup and whitespace out and typos obvious.
 */
const voiceSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9:_.-]{0,99}$/, 'must be a voice name such as en-US-JennyNeural');

/** BCP-47-ish: `en-US`, `zh-Hans-CN`, `de`. */
const languageSchema = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/, 'must be a language tag such as en-US');

/**
 * Objects are strict: an unknown field (a typo such as `formt`) is a BAD_REQUEST rather than silently ignored.
 */
export const ttsSynthesizeSchema = z
  .strictObject({
    text: z
      .string()
      .max(MAX_TEXT_CHARS, `must be at most ${MAX_TEXT_CHARS} characters`)
      .refine((text) => text.trim().length > 0, 'must not be empty')
      .optional(),
    // Characters, well-formedness, voices and length are checked by prepareSsml (shared with the HTTP API).
    ssml: z.string().optional(),
    voice: voiceSchema.optional(),
    format: z.enum(TTS_FORMATS).optional(),
    requestId: requestIdSchema.optional(),
  })
  .refine((p) => (p.text === undefined) !== (p.ssml === undefined), {
    message: 'exactly one of text or ssml is required',
  });
export type TtsSynthesizePayload = z.infer<typeof ttsSynthesizeSchema>;

export const ttsCancelSchema = z.strictObject({ requestId: requestIdSchema });
export type TtsCancelPayload = z.infer<typeof ttsCancelSchema>;

export const sttStartSchema = z
  .strictObject({
    language: languageSchema.optional(),
    sampleRate: z.literal(STT_SAMPLE_RATES).optional(),
    requestId: requestIdSchema.optional(),
  })
  // `emit('stt.start', ack)` with no payload means "all defaults".
  .optional();
export type SttStartPayload = z.infer<typeof sttStartSchema>;

export const sttStopSchema = z.strictObject({ requestId: requestIdSchema.optional() }).optional();
export type SttStopPayload = z.infer<typeof sttStopSchema>;

/** A JSON object as JSON.parse makes it: not an array, a Buffer or any other class instance. */
function isPlainObject(data: unknown): boolean {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const prototype: unknown = Object.getPrototypeOf(data);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Parses a client payload or throws a BAD_REQUEST SpeechError naming the first problems. Anything but a plain
 * JSON object (a binary message, an array, a string) is refused before validation with a fixed message: a
 * validator would list every byte of a binary payload.
 */
export function parsePayload<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  if (data !== undefined && !isPlainObject(data)) {
    throw badRequest(`the payload must be a JSON object, not ${describeKind(data)}`);
  }
  const result = schema.safeParse(data);
  if (!result.success) throw badRequest(describeZodError(result.error));
  return result.data;
}

/** 16-bit little-endian mono PCM: a non-empty binary message of even length, at most 64 KiB. */
export function parseAudioFrame(data: unknown): Buffer {
  let frame: Buffer;
  if (Buffer.isBuffer(data)) frame = data;
  else if (data instanceof ArrayBuffer) frame = Buffer.from(data);
  else if (ArrayBuffer.isView(data)) frame = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  else throw badRequest('stt.audio must be a binary message (16-bit little-endian mono PCM)');
  if (frame.length === 0) throw badRequest('stt.audio must not be empty');
  if (frame.length > MAX_AUDIO_BYTES) {
    throw badRequest(`stt.audio is ${frame.length} bytes; the limit is ${MAX_AUDIO_BYTES}`);
  }
  if (frame.length % 2 !== 0) throw badRequest('stt.audio must have an even length (16-bit samples)');
  return frame;
}

function describeKind(data: unknown): string {
  if (data === null) return 'null';
  if (Array.isArray(data)) return 'an array';
  if (Buffer.isBuffer(data) || data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return 'binary data';
  return typeof data === 'object' ? 'an object of another kind' : `a ${typeof data}`;
}
