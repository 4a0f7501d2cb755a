import { z } from 'zod';
import { languageSchema, recognitionOptionsShape } from './recognition-options';

/** Limits of the voice API. */
export const MAX_TEXT_CHARS = 5_000;
/** Largest `stt.audio` frame. */
export const MAX_AUDIO_BYTES = 64 * 1024;
export const MAX_REQUEST_ID_CHARS = 64;
/** Longest piece of a streamed text (`tts.stream.text`); the whole stream has its own, configurable bound. */
export const MAX_STREAM_PIECE_CHARS = 5_000;
/** Longest `playedMs` a client may report (a day of audio): anything larger is a client bug. */
const MAX_PLAYED_MS = 86_400_000;

/** The voice API's synthesis formats: raw 16-bit little-endian mono PCM at that rate. */
export const TTS_FORMATS = ['pcm-16k', 'pcm-24k', 'pcm-48k'] as const;
export type TtsFormat = (typeof TTS_FORMATS)[number];
export const DEFAULT_TTS_FORMAT: TtsFormat = 'pcm-24k';

/** Sample rates accepted for recognition input (16-bit little-endian mono PCM), the default first. */
export const STT_SAMPLE_RATES = [16_000, 8_000, 24_000, 48_000] as const;
export type SttSampleRate = (typeof STT_SAMPLE_RATES)[number];

/** Printable ASCII without spaces: safe in logs, and what UUIDs and most client ids look like. */
export const requestIdSchema = z
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

/**
 * `tts.synthesize`. Objects are strict: an unknown field (a typo such as `formt`) is a BAD_REQUEST rather than
 * silently ignored.
 */
export const ttsSynthesizeSchema = z
  .strictObject({
    text: z
      .string()
      .max(MAX_TEXT_CHARS, `must be at most ${MAX_TEXT_CHARS} characters`)
      .refine((text) => text.trim().length > 0, 'must not be empty')
      .optional(),
    // Characters, well-formedness, voices and length are checked by the server's SSML preparation.
    ssml: z.string().optional(),
    voice: voiceSchema.optional(),
    format: z.enum(TTS_FORMATS).optional(),
    requestId: requestIdSchema.optional(),
    /** `tts.word` events for every word, each before the audio chunk that holds its start. */
    words: z.boolean().optional(),
  })
  .refine((p) => (p.text === undefined) !== (p.ssml === undefined), {
    message: 'exactly one of text or ssml is required',
  });
export type TtsSynthesizePayload = z.infer<typeof ttsSynthesizeSchema>;

/**
 * `tts.cancel`. `playedMs`: how much of this request's audio the client actually played; the ack's `spokenText`
 * is the words that started before it (before the audio sent, when absent).
 */
export const ttsCancelSchema = z.strictObject({
  requestId: requestIdSchema,
  playedMs: z.number().nonnegative().max(MAX_PLAYED_MS).optional(),
});
export type TtsCancelPayload = z.infer<typeof ttsCancelSchema>;

/** `tts.stream.start`: one utterance whose text follows piece by piece (`tts.stream.text`). */
export const ttsStreamStartSchema = z
  .strictObject({
    requestId: requestIdSchema.optional(),
    voice: voiceSchema.optional(),
    format: z.enum(TTS_FORMATS).optional(),
    words: z.boolean().optional(),
  })
  .optional();
export type TtsStreamStartPayload = z.infer<typeof ttsStreamStartSchema>;

/** `tts.stream.text`: plain text, down to single tokens; never read as markup. */
export const ttsStreamTextSchema = z.strictObject({
  requestId: requestIdSchema,
  text: z.string().max(MAX_STREAM_PIECE_CHARS, `must be at most ${MAX_STREAM_PIECE_CHARS} characters`),
});
export type TtsStreamTextPayload = z.infer<typeof ttsStreamTextSchema>;

/** `tts.stream.end`: no more text; answered like `tts.synthesize` after the last audio chunk. */
export const ttsStreamEndSchema = z.strictObject({ requestId: requestIdSchema });
export type TtsStreamEndPayload = z.infer<typeof ttsStreamEndSchema>;

/**
 * `stt.start`; `emit('stt.start', ack)` with no payload means "all defaults". `language`, `sampleRate` and
 * `languages` fix a recognizer when it is made: a start whose values differ from the configured defaults gets a
 * recognizer made for it (tier COLD). The other options apply per recognition and keep a warm recognizer.
 */
export const sttStartSchema = z
  .strictObject({
    language: languageSchema.optional(),
    sampleRate: z.literal(STT_SAMPLE_RATES).optional(),
    requestId: requestIdSchema.optional(),
    ...recognitionOptionsShape,
  })
  .optional();
export type SttStartPayload = z.infer<typeof sttStartSchema>;

/** `stt.stop` */
export const sttStopSchema = z.strictObject({ requestId: requestIdSchema.optional() }).optional();
export type SttStopPayload = z.infer<typeof sttStopSchema>;
