import type { RecognitionProgress } from './http-recognition';

const normal = (word: string): string => word.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
const wordsOf = (text: string): string[] => text.split(/\s+/).filter((word) => word !== '');

/**
 * Turns the recognizer's results into append-only text deltas, as OpenAI streams a transcript. A partial result is
 * a hypothesis that may still change, so only its words before the last (which may still be growing) go out, and
 * only while they continue what already went out for the utterance; the final result supplies the utterance's
 * remaining words. Joined, the deltas have the transcript's words in order, separated by single spaces; words that
 * went out from a partial keep the partial's spelling (the recognizer capitalises and punctuates only its final
 * text, which the done event carries).
 */
export class TranscriptDeltas implements RecognitionProgress {
  /** Of the current utterance: its words already sent, compared case- and punctuation-blind. */
  private sent: string[] = [];
  private anySent = false;

  constructor(private readonly emit: (delta: string) => void) {}

  partial(text: string): void {
    const stable = wordsOf(text).slice(0, -1);
    if (stable.length <= this.sent.length) return;
    if (this.sent.some((word, i) => normal(stable[i]) !== word)) return; // the hypothesis changed course
    this.send(stable.slice(this.sent.length));
  }

  final(text: string): void {
    this.send(wordsOf(text).slice(this.sent.length));
    this.sent = [];
  }

  private send(words: string[]): void {
    if (words.length === 0) return;
    this.emit((this.anySent ? ' ' : '') + words.join(' '));
    this.anySent = true;
    this.sent.push(...words.map(normal));
  }
}
