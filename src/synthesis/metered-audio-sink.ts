import type { ErrorCode } from '../protocol/error-codes';
import type { WordTiming } from '../speech/word-timing';
import type { AudioSink, SynthesisResult } from './audio-sink';

/** The metrics' outcome of an answered synthesis: `ok`, `canceled` (or nobody left to answer), or the error code. */
export function outcomeOf(result: SynthesisResult): 'ok' | 'canceled' | ErrorCode {
  switch (result.kind) {
    case 'completed':
      return 'ok';
    case 'canceled':
    case 'abandoned':
      return 'canceled';
    case 'failed':
      return result.error.code;
  }
}

/** A transport's sink that reports each answer (`onReply`, before the transport sends it) to the metrics. */
export class MeteredAudioSink implements AudioSink {
  /** Present exactly when the transport's sink takes words (a job asks the sink whether it does). */
  readonly word?: (word: WordTiming) => void;

  constructor(
    private readonly sink: AudioSink,
    private readonly onReply: (result: SynthesisResult) => void,
  ) {
    if (sink.word !== undefined) this.word = (word) => sink.word?.(word);
  }

  allocated(...args: Parameters<AudioSink['allocated']>): void {
    this.sink.allocated(...args);
  }

  emit(chunk: Buffer, seq: number): void {
    this.sink.emit(chunk, seq);
  }

  stopped(): void {
    this.sink.stopped?.();
  }

  bufferedBytes(): number {
    return this.sink.bufferedBytes();
  }

  reply(result: SynthesisResult): void {
    this.onReply(result);
    this.sink.reply(result);
  }
}
