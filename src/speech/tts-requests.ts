import type { WireFormat } from './audio-format';
import type { WordTiming } from './word-timing';

/** What a synthesis and a text stream share. */
export interface TurnOptions {
  format?: WireFormat;
  /** Aborting ends the call at once (resolved as canceled) and asks the upstream to stop the turn. */
  signal?: AbortSignal;
  /** Overrides the client's no-progress deadline for this request. */
  timeoutMs?: number;
  /** Past this many audio bytes the turn is stopped and the call rejects with BAD_REQUEST naming the bound. */
  maxAudioBytes?: number;
  onChunk?: (chunk: Buffer) => void;
  /**
   * Every word as the upstream times it, in order. Called before the chunk that holds the word's start, as long as
   * the upstream sends a word's timing ahead of its audio (the service and the emulator do).
   */
  onWord?: (word: WordTiming) => void;
}

export interface SynthesisRequest extends TurnOptions {
  ssml: string;
  /** The plain text the SSML was made from: word `textOffset`s then index into it instead of into the SSML. */
  text?: string;
}

export interface TextStreamRequest extends TurnOptions {
  /** The voice of this turn; the client's default voice when absent. */
  voice?: string;
  /**
   * Longest wait for the next piece before end(): past it the turn is stopped and the call rejects with TIMEOUT
   * (the upstream was not at fault: the client stays usable). Unbounded when absent.
   */
  idleTimeoutMs?: number;
}

export interface SynthesisOutcome {
  /** ms to the first audio chunk, from the call (a text stream: from its first piece); null when none arrived. */
  firstByteMs: number | null;
  totalMs: number;
  bytes: number;
  /** `bytes` as audio time at the format's rate: what the caller was given (exact for PCM and G.711). */
  audioMs: number;
  canceled: boolean;
}

/** One streamed turn, for its caller: text in piece by piece, the outcome when the audio is over. */
export interface TextStream {
  /** Hands the piece to the SDK at once. Throws BAD_REQUEST after end(); dropped once the turn is over. */
  write(text: string): void;
  /** No more text: the upstream speaks what is left and ends the turn. */
  end(): void;
  /** Settles as synthesize() does: after the last chunk, at once as canceled when aborted, or with a SpeechError. */
  readonly done: Promise<SynthesisOutcome>;
}
