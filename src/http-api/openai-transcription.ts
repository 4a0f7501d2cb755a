import { deflateSync } from 'node:zlib';
import type { Transcript } from './http-recognition';
import type { OpenAiTranscriptionFormat, TimestampGranularity } from './openai-transcription-request';

export { OPENAI_TRANSCRIPTION_FORMATS, type OpenAiTranscriptionFormat } from './openai-transcription-request';

/** One segment of OpenAI's verbose transcription (times in seconds). */
export interface OpenAiSegment {
  id: number;
  seek: number;
  start: number;
  end: number;
  text: string;
  tokens: number[];
  temperature: number;
  avg_logprob: number;
  compression_ratio: number;
  no_speech_prob: number;
}

/** OpenAI's verbose transcription: the text with timed segments and/or words (seconds). */
export interface OpenAiVerboseTranscription {
  task: 'transcribe';
  /** The language's English name in lower case, as Whisper names it (`english`). */
  language: string;
  duration: number;
  text: string;
  segments?: OpenAiSegment[];
  words?: { word: string; start: number; end: number }[];
}

const seconds = (ms: number): number => Math.round(ms) / 1000;

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language' });

/** `en-US` → `english`, as Whisper's verbose answer names the language. */
export function languageName(locale: string): string {
  const language = locale.split('-')[0];
  const name = LANGUAGE_NAMES.of(language) ?? language;
  // Whisper's names are plain ASCII lower case (`maori`, not `Māori`).
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const bare = (word: string): string => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');

/**
 * The recognizer times its lexical words (`the`, `window`); Whisper's words are as written (`The`, `window`). When
 * the segment's text has the same words one for one, they are taken from it (without the punctuation around them);
 * otherwise (numbers written as digits, say) there is no honest pairing and the lexical words stay: null.
 */
function displayWords(text: string, words: readonly { text: string }[]): string[] | null {
  const written = text
    .split(/\s+/)
    .map(bare)
    .filter((word) => word !== '');
  if (written.length !== words.length) return null;
  const same = written.every((word, i) => word.toLowerCase() === bare(words[i].text).toLowerCase());
  return same ? written : null;
}

/** Whisper's compression ratio of a segment's text: its UTF-8 length over its zlib-compressed length. */
function compressionRatio(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length === 0 ? 0 : Math.round((bytes.length / deflateSync(bytes).length) * 1000) / 1000;
}

/**
 * A transcript in OpenAI's verbose shape: `segments` and/or `words` as `granularities` asks. Every segment field
 * OpenAI's typed clients require is present; Whisper's decoding statistics have no counterpart in Azure's results,
 * so `tokens` is empty and `temperature`, `avg_logprob` and `no_speech_prob` are 0 (which keeps every segment
 * through the usual hallucination filters: the recognizer did hear speech there). The compression ratio is
 * computed from the text as Whisper computes it.
 */
export function toVerboseTranscription(
  transcript: Transcript,
  granularities: ReadonlySet<TimestampGranularity> = new Set(['segment']),
): OpenAiVerboseTranscription {
  const verbose: OpenAiVerboseTranscription = {
    task: 'transcribe',
    language: languageName(transcript.language),
    duration: seconds(transcript.durationMs),
    text: transcript.text,
  };
  if (granularities.has('word')) {
    verbose.words = transcript.segments.flatMap((segment) => {
      const display = displayWords(segment.text, segment.words ?? []);
      return (segment.words ?? []).map((word, i) => ({
        word: display?.[i] ?? word.text,
        start: seconds(word.offsetMs),
        end: seconds(word.offsetMs + word.durationMs),
      }));
    });
  }
  if (granularities.has('segment')) {
    verbose.segments = transcript.segments.map((segment, id) => ({
      id,
      seek: 0,
      start: seconds(segment.offsetMs),
      end: seconds(segment.offsetMs + segment.durationMs),
      text: segment.text,
      tokens: [],
      temperature: 0,
      avg_logprob: 0,
      compression_ratio: compressionRatio(segment.text),
      no_speech_prob: 0,
    }));
  }
  return verbose;
}

/** `HH:MM:SS<separator>mmm` */
function cueTime(ms: number, separator: ',' | '.'): string {
  const total = Math.max(0, Math.round(ms));
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor(total / 60_000) % 60;
  const secs = Math.floor(total / 1000) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(secs)}${separator}${pad(total % 1000, 3)}`;
}

/** SubRip subtitles: one numbered cue per segment. */
export function toSrt(transcript: Transcript): string {
  return transcript.segments
    .map(
      (segment, i) =>
        `${i + 1}\n${cueTime(segment.offsetMs, ',')} --> ${cueTime(segment.offsetMs + segment.durationMs, ',')}\n` +
        `${segment.text}\n\n`,
    )
    .join('');
}

/** WebVTT subtitles: one cue per segment. */
export function toVtt(transcript: Transcript): string {
  return (
    'WEBVTT\n\n' +
    transcript.segments
      .map(
        (segment) =>
          `${cueTime(segment.offsetMs, '.')} --> ${cueTime(segment.offsetMs + segment.durationMs, '.')}\n` +
          `${segment.text}\n\n`,
      )
      .join('')
  );
}

/** The body and its content type for a transcription answered in one piece. */
export function transcriptionBody(
  transcript: Transcript,
  format: OpenAiTranscriptionFormat,
  granularities: ReadonlySet<TimestampGranularity>,
): { contentType: string; body: string } {
  const text = 'text/plain; charset=utf-8';
  const json = 'application/json; charset=utf-8';
  switch (format) {
    case 'text':
      return { contentType: text, body: transcript.text };
    case 'srt':
      return { contentType: text, body: toSrt(transcript) };
    case 'vtt':
      return { contentType: 'text/vtt; charset=utf-8', body: toVtt(transcript) };
    case 'verbose_json':
      return { contentType: json, body: JSON.stringify(toVerboseTranscription(transcript, granularities)) };
    case 'json':
      return { contentType: json, body: JSON.stringify({ text: transcript.text }) };
  }
}
