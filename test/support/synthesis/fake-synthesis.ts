import { AllocationTier } from '../../../src/pools/allocation-tier';
import { SpeechError } from '../../../src/speech/speech-error';
import type {
  SynthesisRequest,
  TextStream,
  TextStreamRequest,
  TtsClient,
  WordTiming,
} from '../../../src/speech/tts-client';
import type { AudioSink, SynthesisResult } from '../../../src/synthesis/audio-sink';
import type {
  LeasedSynthesizer,
  SynthesisEnd,
  SynthesizerLease,
} from '../../../src/synthesis/synthesizer-lease';

/** Fakes for the synthesis job's unit tests: a synthesizer, a lease and a sink the test drives and reads. */

/**
 * A synthesizer whose turn the test drives: chunks with `send`, words with `say`, the end with `finish`/`fail`. A
 * text stream records what reached it (`pieces`, `ended`) and throws for writes after its end, as the real one does.
 */
export class FakeSynthesizer {
  request: (SynthesisRequest | TextStreamRequest) | null = null;
  readonly pieces: string[] = [];
  ended = false;
  private settle: { resolve: () => void; reject: (error: unknown) => void } | null = null;

  synthesize(request: SynthesisRequest): Promise<unknown> {
    this.request = request;
    return this.turn(request);
  }

  streamText(request: TextStreamRequest): TextStream {
    this.request = request;
    return {
      write: (text) => {
        if (this.ended) throw new SpeechError('BAD_REQUEST', 'text written after the end of the text stream');
        this.pieces.push(text);
      },
      end: () => {
        this.ended = true;
      },
      done: this.turn(request) as TextStream['done'],
    };
  }

  send(bytes: number): void {
    this.request?.onChunk?.(Buffer.alloc(bytes));
  }

  say(word: WordTiming): void {
    this.request?.onWord?.(word);
  }

  finish(): void {
    this.settle?.resolve();
  }

  fail(error: unknown): void {
    this.settle?.reject(error);
  }

  private turn(request: SynthesisRequest | TextStreamRequest): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.settle = { resolve: () => resolve({}), reject };
      request.signal?.addEventListener('abort', () => resolve({ canceled: true }));
    });
  }

  get asClient(): TtsClient {
    // The job only calls synthesize(); the rest of TtsClient is irrelevant here.
    return this as unknown as TtsClient;
  }
}

export class FakeLease implements SynthesizerLease {
  readonly releases: SynthesisEnd[] = [];
  acquired = 0;
  private next: Promise<LeasedSynthesizer>;

  constructor(readonly synthesizer: FakeSynthesizer) {
    this.next = Promise.resolve({ client: synthesizer.asClient, tier: AllocationTier.WARM });
  }

  failNext(error: unknown): void {
    this.next = Promise.reject(error);
  }

  acquire(signal: AbortSignal): Promise<LeasedSynthesizer> {
    this.acquired++;
    if (signal.aborted) return Promise.reject(signal.reason as unknown);
    return this.next;
  }

  release(_client: TtsClient, end: SynthesisEnd): void {
    this.releases.push(end);
  }
}

export class FakeSink implements AudioSink {
  readonly chunks: Array<{ bytes: number; seq: number }> = [];
  readonly results: SynthesisResult[] = [];
  readonly tiers: AllocationTier[] = [];
  /** Chunks emitted when stopped() was called (null: never). */
  stoppedAfter: number | null = null;
  buffered = 0;

  stopped(): void {
    this.stoppedAfter = this.chunks.length;
  }

  allocated(tier: AllocationTier): void {
    this.tiers.push(tier);
  }

  emit(chunk: Buffer, seq: number): void {
    this.chunks.push({ bytes: chunk.length, seq });
  }
  bufferedBytes(): number {
    return this.buffered;
  }
  reply(result: SynthesisResult): void {
    this.results.push(result);
  }
}

/** A sink that also takes words. */
export class FakeWordSink extends FakeSink {
  readonly words: WordTiming[] = [];
  word(word: WordTiming): void {
    this.words.push(word);
  }
}

export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
