import {
  SpeechSynthesisBoundaryType,
  type SpeechSynthesisWordBoundaryEventArgs,
} from 'microsoft-cognitiveservices-speech-sdk';

/** One spoken word of a synthesis, as the upstream timed it. */
export interface WordTiming {
  /** The word as written, without the punctuation around it. */
  text: string;
  /** Where the word starts in this turn's audio. */
  offsetMs: number;
  durationMs: number;
  /**
   * Index of the word's first character in the turn's text: the plain text a synthesis was made from (or its SSML
   * when none was given), the pieces of a text stream joined; -1 when the word is not found there.
   */
  textOffset: number;
}

/** The SDK reports audio offsets and durations in 100 ns ticks, whatever the output rate. */
const TICKS_PER_MS = 10_000;

/**
 * Turns the SDK's word-boundary events into {@link WordTiming}s. Punctuation and sentence boundaries (which the
 * service sends too when word boundaries are on) are skipped. Each word is looked up in the turn's text after the
 * previous one, as the SDK does for SSML; for a text stream the SDK has no text to look in (its offsets are -1), so
 * the pieces are appended here as they are written.
 */
export class WordLocator {
  private searchFrom = 0;

  /** `text` undefined: use the SDK's own offsets (into the SSML). */
  constructor(private text: string | undefined) {}

  append(piece: string): void {
    this.text = (this.text ?? '') + piece;
  }

  toTiming(event: SpeechSynthesisWordBoundaryEventArgs): WordTiming | undefined {
    if (event.boundaryType !== undefined && event.boundaryType !== SpeechSynthesisBoundaryType.Word) {
      return undefined;
    }
    return {
      text: event.text,
      offsetMs: event.audioOffset / TICKS_PER_MS,
      durationMs: event.duration / TICKS_PER_MS,
      textOffset: this.text === undefined ? event.textOffset : this.locate(event.text),
    };
  }

  private locate(word: string): number {
    const at = (this.text ?? '').indexOf(word, this.searchFrom);
    if (at >= 0) this.searchFrom = at + word.length;
    return at;
  }
}
