import {
  NoMatchDetails,
  NoMatchReason,
  PropertyId,
  type SpeechRecognitionResult,
} from 'microsoft-cognitiveservices-speech-sdk';

const TICKS_PER_MS = 10_000;

/** A recognised word, timed from the start of the audio stream. */
export interface RecognizedWord {
  text: string;
  offsetMs: number;
  durationMs: number;
}

export interface PartialResult {
  text: string;
  offsetMs: number;
  /** The identified language, with language candidates. */
  language?: string;
}

export interface FinalResult {
  text: string;
  offsetMs: number;
  durationMs: number;
  /** The identified language, with language candidates. */
  language?: string;
  /** Word timings, when asked for. */
  words?: RecognizedWord[];
}

/** Audio in which nothing was recognised: silence before any speech (`initial-silence`), or unknown sound. */
export interface NoMatchResult {
  reason: 'initial-silence' | 'not-recognized';
  offsetMs: number;
  durationMs: number;
}

export interface ResultShape {
  /** Language identification is on: results carry the language. */
  languageId: boolean;
  /** Word timings were asked for. */
  words: boolean;
}

export function partialResult(result: SpeechRecognitionResult, shape: ResultShape): PartialResult {
  const partial: PartialResult = { text: result.text, offsetMs: result.offset / TICKS_PER_MS };
  if (shape.languageId && result.language) partial.language = result.language;
  return partial;
}

export function finalResult(result: SpeechRecognitionResult, shape: ResultShape): FinalResult {
  const final: FinalResult = {
    text: result.text,
    offsetMs: result.offset / TICKS_PER_MS,
    durationMs: result.duration / TICKS_PER_MS,
  };
  if (shape.languageId && result.language) final.language = result.language;
  if (shape.words) final.words = wordsOf(result);
  return final;
}

export function noMatchResult(result: SpeechRecognitionResult): NoMatchResult {
  const reason = NoMatchDetails.fromResult(result).reason;
  return {
    reason: reason === NoMatchReason.InitialSilenceTimeout ? 'initial-silence' : 'not-recognized',
    offsetMs: result.offset / TICKS_PER_MS,
    durationMs: result.duration / TICKS_PER_MS,
  };
}

/** The best hypothesis's word timings from a detailed result (the SDK has already shifted them to stream time). */
function wordsOf(result: SpeechRecognitionResult): RecognizedWord[] {
  const json = result.properties.getProperty(PropertyId.SpeechServiceResponse_JsonResult, '');
  let parsed: { NBest?: Array<{ Words?: Array<{ Word?: unknown; Offset?: unknown; Duration?: unknown }> }> };
  try {
    parsed = JSON.parse(json) as typeof parsed;
  } catch {
    return [];
  }
  const words = parsed.NBest?.[0]?.Words ?? [];
  return words.flatMap((w) =>
    typeof w.Word === 'string' && typeof w.Offset === 'number' && typeof w.Duration === 'number'
      ? [{ text: w.Word, offsetMs: w.Offset / TICKS_PER_MS, durationMs: w.Duration / TICKS_PER_MS }]
      : [],
  );
}
