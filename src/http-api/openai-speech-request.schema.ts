import { z } from 'zod';
import type { HttpTtsFormat } from './http-audio-formats';
import { OPENAI_SPEECH_MODELS, isSpeechModel } from './openai-models';
import { speechTextSchema } from './speech-text.schema';

/** OpenAI's response formats, and the HTTP API format each one is (all 24 kHz mono, like OpenAI's). */
export const OPENAI_SPEECH_FORMATS = {
  mp3: 'mp3-24k',
  opus: 'opus-24k',
  aac: 'aac-24k',
  flac: 'flac-24k',
  wav: 'wav-24k',
  pcm: 'pcm-24k',
} as const satisfies Record<string, HttpTtsFormat>;
type OpenAiSpeechFormat = keyof typeof OPENAI_SPEECH_FORMATS;
const FORMAT_NAMES = Object.keys(OPENAI_SPEECH_FORMATS) as [OpenAiSpeechFormat, ...OpenAiSpeechFormat[]];

/** The speaking-rate range OpenAI's API accepts. */
export const MIN_SPEED = 0.25;
export const MAX_SPEED = 4;
/** OpenAI's limit on `instructions`. */
const MAX_INSTRUCTIONS = 4096;

/**
 * POST /v1/audio/speech, OpenAI's request shape. `model` must be one OpenAI's speech API names (the voice decides
 * the sound); `instructions` picks one of the voice's Azure speaking styles when it names one. Unknown fields are
 * ignored, as OpenAI adds fields over time and its SDK sends what it is given.
 */
export const openAiSpeechRequestSchema = z.object({
  model: z
    .string()
    .refine(isSpeechModel, { error: `must be one of ${OPENAI_SPEECH_MODELS.join(', ')}` })
    .describe(`${OPENAI_SPEECH_MODELS.join(', ')} (all answered alike: the voice decides the sound)`),
  input: speechTextSchema.describe('Text to speak (at most 5,000 characters)'),
  voice: z
    .union([z.string().min(1).max(100), z.object({ id: z.string().min(1).max(100) })])
    .describe(
      'alloy, echo, fable, onyx, nova or shimmer (mapped by OPENAI_VOICE_MAP), or an Azure voice name',
    ),
  response_format: z
    .enum(FORMAT_NAMES, { error: `must be one of ${FORMAT_NAMES.join(', ')}` })
    .default('mp3')
    .describe(
      'Each a complete file of its type, 24 kHz mono; opus is Ogg Opus, aac is ADTS; pcm is raw 16-bit LE',
    ),
  speed: z
    .number({ error: `must be a number from ${MIN_SPEED} to ${MAX_SPEED}` })
    .min(MIN_SPEED)
    .max(MAX_SPEED)
    .default(1)
    .describe('0.25 to 4.0; spoken as SSML prosody rate (which the voices take from 0.5 to 3)'),
  instructions: z
    .string()
    .max(MAX_INSTRUCTIONS)
    .optional()
    .describe(
      "Mapped to one of the voice's Azure speaking styles when it names one (see X-Warmline-Instructions)",
    ),
  stream_format: z
    .enum(['audio', 'sse'], { error: 'must be audio or sse' })
    .default('audio')
    .describe('sse: speech.audio.delta events (base64 audio), then speech.audio.done'),
});
