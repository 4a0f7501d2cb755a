import type { Transcript } from './http-recognition';

/** OpenAI's transcription response formats warmline produces. */
export const OPENAI_TRANSCRIPTION_FORMATS = ['json', 'text', 'verbose_json'] as const;
export type OpenAiTranscriptionFormat = (typeof OPENAI_TRANSCRIPTION_FORMATS)[number];

/** OpenAI's verbose transcription: the text with timed segments (seconds). */
export interface OpenAiVerboseTranscription {
  task: 'transcribe';
  language: string;
  duration: number;
  text: string;
  segments: { id: number; seek: number; start: number; end: number; text: string }[];
}

const seconds = (ms: number): number => Math.round(ms) / 1000;

/**
 * A transcript in OpenAI's verbose shape. Whisper's per-segment model statistics (log-probabilities, token ids)
 * have no counterpart in Azure's results and are left out rather than invented.
 */
export function toVerboseTranscription(transcript: Transcript): OpenAiVerboseTranscription {
  return {
    task: 'transcribe',
    language: transcript.language,
    duration: seconds(transcript.durationMs),
    text: transcript.text,
    segments: transcript.segments.map((segment, id) => ({
      id,
      seek: 0,
      start: seconds(segment.offsetMs),
      end: seconds(segment.offsetMs + segment.durationMs),
      text: segment.text,
    })),
  };
}
