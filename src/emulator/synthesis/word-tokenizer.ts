/** A spoken word as written: `display` keeps its punctuation ("world."), `lexical` is what a recognizer hears. */
export interface TextWord {
  display: string;
  /** The word without edge punctuation, case kept ("world"): what word boundaries report. */
  word: string;
  lexical: string;
  /** Index of the word's first character in the source text. */
  charStart: number;
  /** Index just past the word's last character (punctuation included). */
  charEnd: number;
}

const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/** Splits on whitespace; tokens with no letter or digit (a lone dash) are not words. */
export function tokenizeWords(text: string): TextWord[] {
  const words: TextWord[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    const display = m[0];
    const core = display.replace(EDGE_PUNCTUATION, '');
    if (core === '') continue;
    const start = m.index ?? 0;
    words.push({
      display,
      word: core,
      lexical: core.toLowerCase(),
      charStart: start,
      charEnd: start + display.length,
    });
  }
  return words;
}

/** The pause a reader makes after a token, from its trailing punctuation. */
export function pauseAfter(display: string): 'sentence' | 'clause' | 'word' {
  if (/[.!?…]["')\]]*$/.test(display)) return 'sentence';
  if (/[,;:]["')\]]*$/.test(display)) return 'clause';
  return 'word';
}

/** Rough syllable count (vowel groups), used for durations. */
export function countSyllables(word: string): number {
  const groups = word.toLowerCase().match(/[aeiouy\u00e0-\u00ff]+/g);
  return Math.max(1, groups?.length ?? Math.ceil(word.length / 3));
}
