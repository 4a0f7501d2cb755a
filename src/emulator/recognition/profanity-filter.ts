import { ProfanityMode } from './recognition-settings';

/**
 * A small built-in list, only so the profanity option has an observable effect: the service's own list is far
 * longer and not published. Matched on the lower-case word without punctuation.
 */
const PROFANE = new Set([
  'damn',
  'crap',
  'shit',
  'fuck',
  'fucking',
  'bitch',
  'bastard',
  'asshole',
  'bollocks',
]);

export function isProfane(lexical: string): boolean {
  return PROFANE.has(lexical);
}

/** A word as the option shows it: unchanged (raw), its letters as asterisks (masked), or gone (removed). */
export function applyProfanity<T extends { lexical: string }>(
  words: readonly T[],
  mode: ProfanityMode,
  mask: (word: T) => T,
): T[] {
  if (mode === 'raw') return [...words];
  if (mode === 'removed') return words.filter((w) => !isProfane(w.lexical));
  return words.map((w) => (isProfane(w.lexical) ? mask(w) : w));
}

/** Replaces every letter and digit with an asterisk, keeping punctuation ("damn," -> "****,"). */
export function maskLetters(text: string): string {
  return text.replace(/[\p{L}\p{N}]/gu, '*');
}
