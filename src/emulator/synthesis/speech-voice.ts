import { SsmlSegment } from './ssml-parser';

/** A word of the rendered audio with its position in samples and in the spoken text. */
export interface TimedWord {
  display: string;
  word: string;
  lexical: string;
  startSample: number;
  endSample: number;
  charStart: number;
  charEnd: number;
}

export interface RenderRequest {
  segments: SsmlSegment[];
  /** Voice used for text outside any `<voice>` (the document's first voice). */
  defaultVoice: string | undefined;
  defaultLang: string | undefined;
  sampleRate: number;
}

export interface RenderedSpeech {
  /** 16-bit mono PCM at the requested rate; length is a whole number of 10 ms frames. */
  samples: Int16Array;
  sampleRate: number;
  /** The spoken text, words space-separated across segments; `TimedWord.charStart` indexes into it. */
  text: string;
  words: TimedWord[];
}

/** One unit of speech rendered alone: word positions are relative to its own samples and text. */
export interface RenderedSegment {
  samples: Int16Array;
  text: string;
  words: TimedWord[];
}

/** What is rendered at a time: a sentence (or part of a long one) with the voice that speaks it. */
export interface SpeechUnit {
  text: string;
  voice: string | undefined;
  lang: string | undefined;
}

/**
 * Turns text into audio, one unit at a time, so a turn can start streaming its first sentence while the next is
 * rendered. Implementations must be deterministic: same arguments, same samples.
 */
export interface SpeechVoice {
  readonly kind: 'espeak' | 'synthetic';
  /** Silence before a turn's first unit and after its last. */
  readonly leadMs: number;
  readonly tailMs: number;
  /**
   * `context` stands for what the turn said before this unit ({@link nextContext}): a voice may let it colour the
   * audio (the synthetic voice seeds on it, so texts that differ early share no audio later).
   */
  renderUnit(unit: SpeechUnit, sampleRate: number, context: number): Promise<RenderedSegment>;
  /** A whole document at once: every unit, assembled (see renderDocument). */
  render(request: RenderRequest): Promise<RenderedSpeech>;
}
