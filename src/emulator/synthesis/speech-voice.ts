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

/** Turns parsed SSML into audio. Implementations must be deterministic: same request, same samples. */
export interface SpeechVoice {
  readonly kind: 'espeak' | 'synthetic';
  render(request: RenderRequest): Promise<RenderedSpeech>;
}
