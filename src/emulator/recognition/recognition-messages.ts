import { HeardWord, SpeechMatch } from './matching/utterance-matcher';
import { applyProfanity, maskLetters } from './profanity-filter';
import { RecognitionSettings } from './recognition-settings';

const TICKS_PER_MS = 10_000;
const ticks = (ms: number): number => Math.round(ms * TICKS_PER_MS);

/** Where a phrase lies in the turn's audio, in 100 ns ticks. */
export interface PhraseSpan {
  offset: number;
  duration: number;
}

/** The service's `speech.phrase` for recognised speech: simple, or detailed (NBest, word timings on request). */
export function recognizedPhrase(
  match: SpeechMatch,
  settings: RecognitionSettings,
  span: PhraseSpan,
): object {
  const words = shown(match.words, settings);
  const display = words.map((w) => w.display).join(' ');
  const lexical = words.map((w) => w.lexical).join(' ');
  const phrase: Record<string, unknown> = {
    RecognitionStatus: 'Success',
    DisplayText: display,
    Offset: span.offset,
    Duration: span.duration,
    ...languageOf(match, settings),
  };
  if (settings.detailed) {
    const best: Record<string, unknown> = {
      Confidence: match.confidence,
      Lexical: lexical,
      ITN: lexical,
      MaskedITN: lexical,
      Display: display,
    };
    if (settings.wordTimings) {
      best.Words = words.map((w) => ({
        Word: w.lexical,
        Offset: ticks(w.offsetMs),
        Duration: ticks(w.durationMs),
      }));
    }
    phrase.NBest = [best];
  }
  return phrase;
}

/** `speech.hypothesis`: the words heard so far. */
export function hypothesis(match: SpeechMatch, settings: RecognitionSettings, span: PhraseSpan): object {
  return {
    Text: shown(match.words, settings)
      .map((w) => w.lexical)
      .join(' '),
    Offset: span.offset,
    Duration: span.duration,
    ...languageOf(match, settings),
  };
}

/** The lexical text a hypothesis shows, to tell whether it changed. */
export function hypothesisText(match: SpeechMatch, settings: RecognitionSettings): string {
  return shown(match.words, settings)
    .map((w) => w.lexical)
    .join(' ');
}

function shown(words: readonly HeardWord[], settings: RecognitionSettings): HeardWord[] {
  return applyProfanity(words, settings.profanity, (w) => ({
    ...w,
    display: maskLetters(w.display),
    lexical: maskLetters(w.lexical),
    word: maskLetters(w.word),
  }));
}

/**
 * With language identification on, the continuous language-ID result the SDK reads (`PrimaryLanguage`): the
 * locale of the voice that spoke the audio, as the candidate naming it (else one of the same language).
 */
function languageOf(match: SpeechMatch, settings: RecognitionSettings): object {
  const candidates = settings.languageCandidates;
  if (!candidates) return {};
  // A synthesis may change voices between sentences: the phrase's first word names the voice heard.
  const locale = match.words[0]?.locale ?? 'en-US';
  const exact = candidates.find((c) => c.toLowerCase() === locale.toLowerCase());
  const base = locale.split('-')[0].toLowerCase();
  const sameLanguage = candidates.find((c) => c.split('-')[0].toLowerCase() === base);
  const language = exact ?? sameLanguage ?? (candidates.length > 0 ? candidates[0] : locale);
  const confidence = exact || candidates.length === 0 ? 'High' : sameLanguage ? 'Medium' : 'Low';
  return { PrimaryLanguage: { Language: language, Confidence: confidence } };
}
