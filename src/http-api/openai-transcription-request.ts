import { z } from 'zod';
import { RECOGNITION_LIMITS } from '../protocol/recognition-options';
import { badRequest, describeZodError } from '../synthesis/error-body';
import { OPENAI_TRANSCRIPTION_MODELS } from './openai-models';

/** OpenAI's transcription response formats. */
export const OPENAI_TRANSCRIPTION_FORMATS = ['json', 'text', 'srt', 'vtt', 'verbose_json'] as const;
export type OpenAiTranscriptionFormat = (typeof OPENAI_TRANSCRIPTION_FORMATS)[number];

export const TIMESTAMP_GRANULARITIES = ['word', 'segment'] as const;
export type TimestampGranularity = (typeof TIMESTAMP_GRANULARITIES)[number];

/** A dated snapshot (`gpt-4o-transcribe-2025-03-20`) is accepted as its model. */
const SNAPSHOT = /-\d{4}-\d{2}-\d{2}$/;

const list = (value: unknown): unknown =>
  typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value;

/**
 * The text fields of `POST /v1/audio/transcriptions`, as a multipart form sends them (all text). Fields OpenAI
 * has and warmline has no use for (`temperature`, `chunking_strategy`, `include[]`) are ignored, as OpenAI adds
 * fields over time and its SDK sends what it is given.
 */
const transcriptionFieldsSchema = z.object({
  model: z
    .string()
    .refine(
      (name) => (OPENAI_TRANSCRIPTION_MODELS as readonly string[]).includes(name.replace(SNAPSHOT, '')),
      {
        error: `must be one of ${OPENAI_TRANSCRIPTION_MODELS.join(', ')}`,
      },
    )
    .optional(),
  /** Checked against the recognizer's locales by recognitionLanguage. */
  language: z.string().optional(),
  prompt: z.string().optional(),
  response_format: z
    .enum(OPENAI_TRANSCRIPTION_FORMATS, {
      error: `must be one of ${OPENAI_TRANSCRIPTION_FORMATS.join(', ')}`,
    })
    .default('json'),
  stream: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  'timestamp_granularities[]': z.preprocess(
    list,
    z.array(z.enum(TIMESTAMP_GRANULARITIES, { error: 'must be word or segment' })).optional(),
  ),
});

/** What a transcription request asks for, checked. */
export interface TranscriptionRequest {
  format: OpenAiTranscriptionFormat;
  /** Whether the form said which format (it may come after the file, once the recognition has run). */
  formatGiven: boolean;
  /** verbose_json: which timings to give (OpenAI's default: segments only). */
  granularities: ReadonlySet<TimestampGranularity>;
  stream: boolean;
  language: string | undefined;
  /** The prompt's words, as a phrase list (within the phrase list's bounds). */
  phrases: string[] | undefined;
}

/**
 * Checks a transcription form's fields; throws BAD_REQUEST (OpenAI's 400, naming the field) for a value OpenAI
 * would refuse or warmline cannot answer as asked.
 */
export function parseTranscriptionFields(fields: ReadonlyMap<string, string>): TranscriptionRequest {
  const parsed = transcriptionFieldsSchema.safeParse(Object.fromEntries(fields));
  if (!parsed.success) throw badRequest(describeZodError(parsed.error));
  const input = parsed.data;
  const granularities = new Set<TimestampGranularity>(input['timestamp_granularities[]'] ?? ['segment']);
  if (input['timestamp_granularities[]'] !== undefined && input.response_format !== 'verbose_json') {
    throw badRequest('timestamp_granularities[]: response_format must be verbose_json to use timestamps');
  }
  const stream = input.stream === 'true';
  if (stream && input.response_format !== 'json' && input.response_format !== 'text') {
    throw badRequest(
      `stream: not supported with response_format ${input.response_format} (use json or text)`,
    );
  }
  return {
    format: input.response_format,
    formatGiven: fields.has('response_format'),
    granularities,
    stream,
    language: input.language,
    phrases: promptPhrases(input.prompt),
  };
}

/**
 * A prompt's distinct words as a phrase list: names and terms in it then bias the recognizer as Whisper's prompt
 * biases its decoding. Within the phrase list's bounds: a word longer than a phrase may be is left out, and of a
 * long prompt the last words are kept (Whisper, too, keeps the end of a long prompt).
 */
export function promptPhrases(prompt: string | undefined): string[] | undefined {
  if (prompt === undefined) return undefined;
  const { max, maxLength } = RECOGNITION_LIMITS.phrases;
  const seen = new Map<string, string>();
  for (const token of prompt.split(/\s+/)) {
    const word = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (word === '' || word.length > maxLength) continue;
    const key = word.toLowerCase();
    seen.delete(key); // a repeated word counts where it last appears
    seen.set(key, word);
  }
  const words = [...seen.values()].slice(-max);
  return words.length > 0 ? words : undefined;
}
