import type { AllocationTier } from '../pools/allocation-tier';
import type { ErrorBody } from '../protocol/error-codes';
import type { WordTiming } from '../speech/word-timing';

/** What a synthesis did until it ended; times in ms from the start of serving the request. */
export interface SynthesisProgress {
  requestId: string;
  /** null when it ended before a synthesizer was allocated. */
  tier: AllocationTier | null;
  /** null when no audio was sent. */
  firstByteMs: number | null;
  totalMs: number;
  /** Audio bytes handed to the sink. */
  bytes: number;
}

/** The one answer of a synthesis request. */
export type SynthesisResult =
  /** Every chunk was emitted. */
  | ({ kind: 'completed'; tier: AllocationTier } & Omit<SynthesisProgress, 'tier'>)
  /** Stopped because the client asked (tts.cancel). */
  | ({ kind: 'canceled' } & SynthesisProgress)
  /** Nobody is left to answer (the connection or session is gone). */
  | ({ kind: 'abandoned' } & SynthesisProgress)
  /** Failed: `error` is what the client is told; `cause` is the original failure (for logs when INTERNAL). */
  | ({ kind: 'failed'; error: ErrorBody; cause: unknown } & SynthesisProgress);

/** Where a synthesis's audio and answer go: a Socket.IO connection, an HTTP response. */
export interface AudioSink {
  /** A synthesizer was allocated for the request, from `tier`; called at most once, before any audio. */
  allocated(tier: AllocationTier): void;
  /** One chunk of audio, in order; `seq` counts from 0. */
  emit(chunk: Buffer, seq: number): void;
  /**
   * One word's timing, for a request that asked for words: in order, before the chunk holding the word's start.
   * Sinks whose transport has no word events leave it out.
   */
  word?(word: WordTiming): void;
  /**
   * The request was stopped from outside (cancel, disconnect), synchronously, before the stop is answered: a sink
   * that holds audio back sends it now, since no audio may follow the stop's answer. No emit follows.
   */
  stopped?(): void;
  /** Bytes emitted but not yet handed to the network: the back-pressure signal. */
  bufferedBytes(): number;
  /** Called exactly once per request, after the last emit. */
  reply(result: SynthesisResult): void;
}
