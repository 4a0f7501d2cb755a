import { z } from 'zod';
import { errorCodeSchema } from './error-codes';

/**
 * Server → client events. Parsed leniently (z.object, unknown fields dropped), so a client built against this
 * module keeps working when the server adds a field.
 */

/** On connect: keep `sessionId` to resume the session after a reconnect. */
export const sessionReadySchema = z.object({ sessionId: z.string(), resumed: z.boolean() });
export type SessionReady = z.infer<typeof sessionReadySchema>;

/** Fleet mode: this replica is stopping; reconnect with the session id (requests already sent still get answers). */
export const sessionMovingSchema = z.object({ sessionId: z.string() });
export type SessionMoving = z.infer<typeof sessionMovingSchema>;

/** Another connection resumed this session; the server disconnects this one right after. */
export const sessionDisplacedSchema = z.object({
  code: z.literal('SESSION_TAKEN_OVER'),
  message: z.string(),
});
export type SessionDisplaced = z.infer<typeof sessionDisplacedSchema>;

/** Binary data as Socket.IO hands it over: a Buffer in Node, an ArrayBuffer in a browser. */
const binarySchema = z.custom<ArrayBuffer | ArrayBufferView>(
  (value) => value instanceof ArrayBuffer || ArrayBuffer.isView(value),
  'must be binary data',
);

/** One chunk of a synthesis's audio; `seq` counts from 0, in order. */
export const ttsAudioSchema = z.object({
  requestId: z.string(),
  seq: z.number().int().nonnegative(),
  audio: binarySchema,
});
export type TtsAudio = z.infer<typeof ttsAudioSchema>;

/**
 * One word of a synthesis that asked for `words: true`, sent before the audio chunk that holds its start.
 * `offsetMs`: where it starts in this request's audio; `textOffset`: its index in the request's text (the pieces of
 * a stream joined), -1 when not found there.
 */
export const ttsWordSchema = z.object({
  requestId: z.string(),
  text: z.string(),
  offsetMs: z.number(),
  durationMs: z.number(),
  textOffset: z.number().int(),
});
export type TtsWord = z.infer<typeof ttsWordSchema>;

/** What is being recognized so far; may change until the utterance's `stt.final`. */
export const sttPartialSchema = z.object({
  requestId: z.string(),
  text: z.string(),
  offsetMs: z.number(),
  /** The language identified so far (with `languages` on `stt.start`). */
  language: z.string().optional(),
});
export type SttPartial = z.infer<typeof sttPartialSchema>;

/** A recognized word, timed from the start of the recognition's audio. */
export const recognizedWordSchema = z.object({
  text: z.string(),
  offsetMs: z.number(),
  durationMs: z.number(),
});
export type RecognizedWord = z.infer<typeof recognizedWordSchema>;

/** One recognized utterance. */
export const sttFinalSchema = z.object({
  requestId: z.string(),
  text: z.string(),
  offsetMs: z.number(),
  durationMs: z.number(),
  /** The language identified (with `languages` on `stt.start`: one of them, on every final). */
  language: z.string().optional(),
  /** Its words with their times (with `words: true` on `stt.start`). */
  words: z.array(recognizedWordSchema).optional(),
});
export type SttFinal = z.infer<typeof sttFinalSchema>;

/** Problems with `stt.audio`, failed recognitions, and requests sent without an acknowledgement callback. */
export const errorEventSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  requestId: z.string().optional(),
});
export type ErrorEvent = z.infer<typeof errorEventSchema>;
