import { z } from 'zod';
import { DEFAULT_HTTP_TTS_FORMAT, HTTP_TTS_FORMATS } from './http-audio-formats';
import { speechTextSchema, voiceNameSchema } from './speech-text.schema';

/** POST /api/v1/tts: exactly one of text and ssml. Unknown fields are refused, so a typo is not silently lost. */
export const ttsRequestSchema = z
  .strictObject({
    text: speechTextSchema
      .describe('Plain text to speak (at most 5,000 characters); XML-escaped into SSML')
      .optional(),
    ssml: z.string().describe('A complete SSML document with a <speak> root (at most 64 KiB)').optional(),
    voice: voiceNameSchema
      .describe("A voice from GET /api/v1/voices (default: the service's SPEECH_TTS_VOICE)")
      .optional(),
    format: z.enum(HTTP_TTS_FORMATS).default(DEFAULT_HTTP_TTS_FORMAT).describe('Audio format of the answer'),
    words: z
      .boolean()
      .describe('With Accept: text/event-stream, a `word` event for every word (ignored otherwise)')
      .optional(),
  })
  .refine((body) => (body.text === undefined) !== (body.ssml === undefined), {
    message: 'give exactly one of text and ssml',
  });
