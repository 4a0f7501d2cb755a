import type { z } from 'zod';
import { MAX_AUDIO_BYTES } from '../protocol/client-payloads';
import { badRequest, describeZodError } from '../synthesis/error-body';

/** A JSON object as JSON.parse makes it: not an array, a Buffer or any other class instance. */
function isPlainObject(data: unknown): boolean {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const prototype: unknown = Object.getPrototypeOf(data);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Parses a client payload with one of the protocol's schemas, or throws a BAD_REQUEST SpeechError naming the first
 * problems. Anything but a plain JSON object (a binary message, an array, a string) is refused before validation
 * with a fixed message: a validator would list every byte of a binary payload.
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

/** The requestId a payload names, if any (for error events about requests that could not be parsed). */
export function looseRequestId(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Buffer.isBuffer(data)) return undefined;
  const id = (data as { requestId?: unknown }).requestId;
  return typeof id === 'string' && id.length <= 64 ? id : undefined;
}

function describeKind(data: unknown): string {
  if (data === null) return 'null';
  if (Array.isArray(data)) return 'an array';
  if (Buffer.isBuffer(data) || data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return 'binary data';
  return typeof data === 'object' ? 'an object of another kind' : `a ${typeof data}`;
}
