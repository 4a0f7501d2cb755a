import { PropertyId } from 'microsoft-cognitiveservices-speech-sdk';
import { PROFANITY_OPTIONS, RECOGNITION_LIMITS, type ProfanityOption } from '../protocol/recognition-options';
import { SpeechError } from './speech-error';

export { RECOGNITION_LIMITS, type ProfanityOption };

/** What a recognition may ask for besides its language and input rate (all optional). */
export interface RecognitionOptions {
  /** 2-4 candidate languages: the language is identified continuously and every final says which it was. */
  languages?: readonly string[];
  /** A phrase list that biases recognition towards these words (names, products). */
  phrases?: readonly string[];
  /** Silence that ends a phrase, ms (the service's segmentation silence timeout; its default is 500 ms). */
  endSilenceMs?: number;
  /** Silence at the start after which the service gives up on the turn, ms. */
  initialSilenceMs?: number;
  /** How profanity appears in results (the service masks it by default). */
  profanity?: ProfanityOption;
  /** Word timings in final results. */
  words?: boolean;
}

/** The options applied to a recognizer just before it starts: they travel in the turn's `speech.context`. */
export type TurnOptions = Omit<RecognitionOptions, 'languages'>;

/**
 * What fixes a recognizer when it is made and connected: the language (the connection URL's `language`), the input
 * rate (its push stream's format) and language candidates (language identification is set up with the recognizer
 * and announced in the URL). A warm recognizer serves only requests with the same setup.
 */
export interface RecognizerSetup {
  language: string;
  sampleRate: number;
  languages?: readonly string[];
}

/**
 * Where each option reaches the service (Speech SDK 1.52, read from its ServiceRecognizerBase and
 * ConnectionFactoryBase): `connect` = fixed when the recognizer is made or its socket opens; `turn` = rebuilt from
 * the recognizer's properties and sent in `speech.context` each time recognition starts, so it can be set on a
 * pre-connected recognizer just before use.
 */
export const OPTION_PLACEMENT: Readonly<Record<keyof RecognitionOptions, 'connect' | 'turn'>> = {
  languages: 'connect',
  phrases: 'turn',
  endSilenceMs: 'turn',
  initialSilenceMs: 'turn',
  profanity: 'turn',
  words: 'turn',
};

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;
const PROFANITY: readonly ProfanityOption[] = PROFANITY_OPTIONS;
const SDK_PROFANITY: Record<ProfanityOption, string> = { masked: 'Masked', removed: 'Removed', raw: 'Raw' };

/**
 * Checks every option against its bounds and throws one BAD_REQUEST naming every problem; returns the options
 * as given when all are fine.
 */
export function validateRecognitionOptions<T extends RecognitionOptions>(options: T): T {
  const problems: string[] = [];
  const { languages, phrases, endSilenceMs, initialSilenceMs, profanity, words } = options;
  if (languages !== undefined) {
    const { min, max } = RECOGNITION_LIMITS.languages;
    if (!isList(languages) || languages.length < min || languages.length > max) {
      problems.push(`languages must list ${min} to ${max} languages (got ${describeCount(languages)})`);
    } else {
      const bad = languages.filter((l) => typeof l !== 'string' || !LANGUAGE_TAG.test(l));
      if (bad.length > 0)
        problems.push(`languages must be language tags such as en-US (got ${quoteAll(bad)})`);
      else if (new Set(languages.map((l) => String(l).toLowerCase())).size !== languages.length) {
        problems.push('languages must not repeat a language');
      }
    }
  }
  if (phrases !== undefined) {
    const { max, maxLength } = RECOGNITION_LIMITS.phrases;
    if (!isList(phrases) || phrases.length > max) {
      problems.push(`phrases must list at most ${max} phrases (got ${describeCount(phrases)})`);
    } else {
      const bad = phrases.filter((p) => typeof p !== 'string' || p.trim() === '' || p.length > maxLength);
      if (bad.length > 0) {
        problems.push(`phrases must be non-empty and at most ${maxLength} characters (got ${quoteAll(bad)})`);
      }
    }
  }
  checkRange('endSilenceMs', endSilenceMs, RECOGNITION_LIMITS.endSilenceMs, problems);
  checkRange('initialSilenceMs', initialSilenceMs, RECOGNITION_LIMITS.initialSilenceMs, problems);
  if (profanity !== undefined && !PROFANITY.includes(profanity)) {
    problems.push(`profanity must be one of ${PROFANITY.join(', ')} (got ${JSON.stringify(profanity)})`);
  }
  if (words !== undefined && typeof words !== 'boolean') {
    problems.push(`words must be true or false (got ${JSON.stringify(words)})`);
  }
  if (problems.length > 0)
    throw new SpeechError('BAD_REQUEST', `invalid recognition options: ${problems.join('; ')}`);
  return options;
}

/** The setup a request needs: a warm recognizer fits it when {@link sameSetup} says so. */
export function recognizerSetup(
  language: string,
  sampleRate: number,
  options: RecognitionOptions = {},
): RecognizerSetup {
  return options.languages
    ? { language, sampleRate, languages: options.languages }
    : { language, sampleRate };
}

/** A setup from either form callers use: a setup, or a language and rate (no candidates). */
export function asSetup(setupOrLanguage: RecognizerSetup | string, sampleRate?: number): RecognizerSetup {
  return typeof setupOrLanguage === 'string'
    ? { language: setupOrLanguage, sampleRate: sampleRate ?? 0 }
    : setupOrLanguage;
}

/** The setup with its language candidates validated (BAD_REQUEST otherwise); no `languages` key when there are none. */
export function validSetup(setup: RecognizerSetup): RecognizerSetup {
  if (setup.languages === undefined) return { language: setup.language, sampleRate: setup.sampleRate };
  validateRecognitionOptions({ languages: setup.languages });
  return { language: setup.language, sampleRate: setup.sampleRate, languages: [...setup.languages] };
}

/** Same language and rate, and the same language candidates in any order (or none on both). */
export function sameSetup(a: RecognizerSetup, b: RecognizerSetup): boolean {
  const candidates = (s: RecognizerSetup): string =>
    (s.languages ?? [])
      .map((l) => l.toLowerCase())
      .sort()
      .join(',');
  return a.language === b.language && a.sampleRate === b.sampleRate && candidates(a) === candidates(b);
}

/** The per-turn options other than phrases as the SDK properties that carry them (phrases go in a phrase list). */
export function turnProperties(options: TurnOptions): Array<[PropertyId, string]> {
  const properties: Array<[PropertyId, string]> = [];
  if (options.endSilenceMs !== undefined) {
    properties.push([PropertyId.Speech_SegmentationSilenceTimeoutMs, String(options.endSilenceMs)]);
  }
  if (options.initialSilenceMs !== undefined) {
    properties.push([
      PropertyId.SpeechServiceConnection_InitialSilenceTimeoutMs,
      String(options.initialSilenceMs),
    ]);
  }
  if (options.profanity !== undefined) {
    properties.push([PropertyId.SpeechServiceResponse_ProfanityOption, SDK_PROFANITY[options.profanity]]);
  }
  if (options.words) properties.push([PropertyId.SpeechServiceResponse_RequestWordLevelTimestamps, 'true']);
  return properties;
}

function checkRange(
  name: string,
  value: number | undefined,
  { min, max }: { min: number; max: number },
  problems: string[],
): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
}

/** Options may come from untyped JSON: an array check that keeps the element type unknown. */
function isList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

function describeCount(value: unknown): string {
  return Array.isArray(value) ? String(value.length) : JSON.stringify(value);
}

function quoteAll(values: readonly unknown[]): string {
  const shown = values
    .slice(0, 3)
    .map((v) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 40)}…` : v));
  return (
    shown.map((v) => JSON.stringify(v)).join(', ') +
    (values.length > 3 ? ` and ${values.length - 3} more` : '')
  );
}
