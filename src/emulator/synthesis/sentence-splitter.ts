/**
 * Cuts text into the units the emulator renders and streams one at a time, as the service starts speaking a long
 * text (or a text still being streamed in) before it has seen the end: sentences, and overlong sentences at a
 * clause or a word. Works on whole texts and on text arriving piece by piece alike.
 */

/** Longest unit: a longer sentence is cut at its last clause (or word) before this many characters. */
export const MAX_UNIT_CHARS = 200;

/** Words ending in a dot that never end a sentence ("Dr. Smith"). */
const TITLES = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'vs', 'e.g', 'i.e', 'cf']);
/** Abbreviations that may or may not end one: decided by what follows. */
const ABBREVIATIONS = new Set(['etc', 'inc', 'ltd', 'co', 'corp', 'approx', 'no', 'a.m', 'p.m']);

/**
 * Terminal punctuation (closing quotes and brackets kept with it) before whitespace or the end of the text so far,
 * or a line break (a list item, a heading).
 */
const END = /[.!?…]+["'”’»)\]]*(?=\s|$)|\n/g;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

type EndKind = 'end' | 'never' | 'ambiguous';

/** Whether `mark` (terminal punctuation) after the token `before` ends a sentence, regardless of what follows. */
function classify(mark: string, before: string): EndKind {
  if (/[!?]/.test(mark)) return 'end';
  if (mark.includes('…') || mark.includes('..')) return 'ambiguous'; // a trailing-off, or a pause mid-sentence
  const word = before.replace(/^[^\p{L}\p{N}]+/u, '').toLowerCase();
  if (word === '') return 'end';
  if (TITLES.has(word)) return 'never';
  // "3." "B." "U.S." "etc.": a sentence end only when a capital (or a digit) starts the next one.
  if (/^\p{L}$/u.test(word) || /^\p{N}+$/u.test(word) || word.includes('.') || ABBREVIATIONS.has(word)) {
    return 'ambiguous';
  }
  return 'end';
}

/** Where a unit of at most `max` characters can end in `text`: after a clause's punctuation, else after a word. */
function longUnitCut(text: string, max: number): number {
  const head = text.slice(0, max + 1);
  let clause = -1;
  for (const m of head.matchAll(/[,;:—–]["'”’)\]]*(?=\s)/g)) clause = (m.index ?? 0) + m[0].length;
  if (clause > 0) return clause;
  const space = head.search(/\s\S*$/);
  return space > 0 ? space : max; // no whitespace in reach: a bound, not a word
}

/**
 * Text in, complete units out. `push` returns the units the new text completed: a sentence ends at `.` `!` `?`
 * followed by whitespace, or at the end of the text so far when that cannot be anything else ("world." ends now;
 * "3." or "etc." waits for the next piece: a capital after it ends the sentence). `finish` returns the rest.
 * Units hold at least one letter or digit, trimmed; what lies between them (whitespace, stray punctuation) is dropped.
 */
export class SentenceBuffer {
  private text = '';

  constructor(private readonly maxChars = MAX_UNIT_CHARS) {}

  /** Characters held back, waiting for the end of their sentence. */
  get pending(): number {
    return this.text.length;
  }

  push(piece: string): string[] {
    this.text += piece;
    return this.take(false);
  }

  finish(): string[] {
    return this.take(true);
  }

  private take(final: boolean): string[] {
    const units: string[] = [];
    for (;;) {
      const cut = this.findEnd(final);
      if (cut === undefined) break;
      this.emit(this.text.slice(0, cut), units);
      this.text = this.text.slice(cut);
    }
    if (final) {
      this.emit(this.text, units);
      this.text = '';
    }
    // A sentence with no end in sight: its first part is spoken now (the service does not wait forever either).
    while (this.text.trim().length > this.maxChars) {
      const lead = this.text.length - this.text.trimStart().length;
      const cut = lead + longUnitCut(this.text.slice(lead), this.maxChars);
      this.emit(this.text.slice(0, cut), units);
      this.text = this.text.slice(cut);
    }
    return units;
  }

  /** The index just past the first sentence end in the buffer; undefined when none is certain yet. */
  private findEnd(final: boolean): number | undefined {
    const { text } = this;
    END.lastIndex = 0;
    for (let m = END.exec(text); m !== null; m = END.exec(text)) {
      const at = m.index;
      const after = at + m[0].length;
      if (m[0] === '\n') {
        if (LETTER_OR_DIGIT.test(text.slice(0, at))) return after;
        continue;
      }
      const tokenStart = text.slice(0, at).search(/\S*$/);
      const kind = classify(m[0], text.slice(tokenStart, at));
      if (kind === 'end') return after;
      if (kind === 'never') continue;
      const next = /\S/.exec(text.slice(after));
      if (!next) return final ? after : undefined; // what follows decides: wait for it
      if (/[\p{Lu}\p{N}"'“‘(]/u.test(next[0])) return after;
    }
    return undefined;
  }

  /** Adds `raw` as units: trimmed, cut to the length bound, only when it holds a word. */
  private emit(raw: string, units: string[]): void {
    let rest = raw.trim();
    while (rest.length > this.maxChars) {
      const cut = longUnitCut(rest, this.maxChars);
      const unit = rest.slice(0, cut).trim();
      if (LETTER_OR_DIGIT.test(unit)) units.push(unit);
      rest = rest.slice(cut).trim();
    }
    if (LETTER_OR_DIGIT.test(rest)) units.push(rest);
  }
}

/** A whole text as units (see {@link SentenceBuffer}). */
export function splitSentences(text: string, maxChars = MAX_UNIT_CHARS): string[] {
  const buffer = new SentenceBuffer(maxChars);
  return [...buffer.push(text), ...buffer.finish()];
}
