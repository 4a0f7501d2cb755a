import { z } from 'zod';
import { speechTextSchema } from './speech-text.schema';

/** OpenAI's response formats warmline produces, and the HTTP API format each one is. */
export const OPENAI_SPEECH_FORMATS = { mp3: 'mp3-24k', wav: 'wav-24k', pcm: 'pcm-24k' } as const;
const OPENAI_ONLY_FORMATS = ['opus', 'aac', 'flac'];

/** The speaking-rate range OpenAI's API accepts. */
export const MIN_SPEED = 0.25;
export const MAX_SPEED = 4;

/**
 * POST /v1/audio/speech, OpenAI's request shape. `model` is accepted and ignored (the voice decides the sound);
 * `instructions` too (Azure voices take style through SSML, not prose). Unknown fields are ignored, as OpenAI
 * adds fields over time and its SDK sends what it is given.
 */
export const openAiSpeechRequestSchema = z.object({
  model: z.string().describe('Accepted and ignored (e.g. tts-1)'),
  input: speechTextSchema.describe('Text to speak (at most 5,000 characters)'),
  voice: z
    .union([z.string().min(1).max(100), z.object({ id: z.string().min(1).max(100) })])
    .describe(
      'alloy, echo, fable, onyx, nova or shimmer (mapped by OPENAI_VOICE_MAP), or an Azure voice name',
    ),
  response_format: z
    .enum(['mp3', 'wav', 'pcm'], {
      error: (issue) =>
        OPENAI_ONLY_FORMATS.includes(String(issue.input))
          ? `response_format ${String(issue.input)} is not supported; use mp3, wav or pcm`
          : 'response_format must be mp3, wav or pcm',
    })
    .default('mp3')
    .describe('pcm is 24 kHz 16-bit mono little-endian; default mp3'),
  speed: z
    .number()
    .min(MIN_SPEED)
    .max(MAX_SPEED)
    .default(1)
    .describe('0.25 to 4.0; spoken as SSML prosody rate'),
  instructions: z.string().optional().describe('Accepted and ignored'),
  stream_format: z
    .literal('audio', { error: 'stream_format must be "audio" (server-sent events are not supported)' })
    .optional(),
});
