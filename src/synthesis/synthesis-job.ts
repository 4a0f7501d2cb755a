import type { AllocationTier } from '../pools/allocation-tier';
import { wireFormatInfo, type WireFormat } from '../speech/audio-format';
import type { SynthesisOutcome, TtsClient, TurnOptions } from '../speech/tts-client';
import { NOOP_SYNTHESIS_SPAN } from '../tracing/noop-tracing';
import type { SynthesisSpan } from '../tracing/tracing';
import { isAbortReason, replyFor, slowReader, type AbortReason } from './abort-reason';
import type { AudioSink, SynthesisProgress, SynthesisResult } from './audio-sink';
import { toErrorBody } from './error-body';
import { SpokenWords, type Heard } from './spoken-words';
import type { StreamedText } from './streamed-text';
import type { LeasedSynthesizer, SynthesisEnd, SynthesizerLease } from './synthesizer-lease';

/** What a job speaks: a whole request (checked and turned into SSML already, see prepareSsml), or a text stream. */
export type SpokenInput =
  /** `text`: the plain text the SSML was made from, where word offsets point (absent for SSML input). */
  | { readonly kind: 'ssml'; readonly ssml: string; readonly text?: string }
  /** Text arriving piece by piece, spoken in one turn of the SDK's text streaming with `voice`. */
  | { readonly kind: 'stream'; readonly text: StreamedText; readonly voice: string };

export interface SynthesisJobRequest {
  requestId: string;
  input: SpokenInput;
  format: WireFormat;
  /** Hand every word's timing to the sink (`sink.word`). Words are recorded for `heard()` either way. */
  words?: boolean;
  /**
   * The request's trace span, started when the request arrived (time spent queued counts); the job records the
   * tier, pool wait, first byte and outcome on it and ends it. Default: the shared no-op span.
   */
  span?: SynthesisSpan;
}

export interface SynthesisJobLimits {
  /** Back-pressure: past this many bytes waiting in the sink, the synthesis is aborted (RATE_LIMITED). */
  maxBufferedBytes: number;
  /** The most audio the upstream may stream for this request (see maxAudioBytesFor). */
  maxAudioBytes: number;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/**
 * One synthesis, whatever the transport: allocate a synthesizer from the lease, stream its chunks into the sink
 * the moment they arrive, answer once. Every way it can end — completed, canceled, aborted, failed, dropped before
 * it ran — goes through one path to one `sink.reply`, and the synthesizer always goes back to the lease. `run`
 * never rejects.
 */
export class SynthesisJob {
  private readonly now: () => number;
  private readonly span: SynthesisSpan;
  /** The request's own signal (cancel, disconnect), `stop` (shutdown) and back-pressure all end up here. */
  private readonly stream = new AbortController();
  private started = false;
  private answered = false;
  private readonly spoken: SpokenWords;
  private resolveFinished!: () => void;
  /** Resolves once the request was answered (and its synthesizer handed back to the lease). */
  readonly finished = new Promise<void>((resolve) => (this.resolveFinished = resolve));

  constructor(
    private readonly lease: SynthesizerLease,
    private readonly sink: AudioSink,
    private readonly request: SynthesisJobRequest,
    private readonly limits: SynthesisJobLimits,
    now?: () => number,
  ) {
    this.now = now ?? (() => performance.now());
    this.span = request.span ?? NOOP_SYNTHESIS_SPAN;
    this.spoken = new SpokenWords(wireFormatInfo(request.format).bytesPerSecond);
    const { input } = request;
    // Once stopped, a stream's later pieces go nowhere: not even to a turn that is still winding down.
    if (input.kind === 'stream') {
      this.stream.signal.addEventListener('abort', () => input.text.close(), { once: true });
    }
  }

  get requestId(): string {
    return this.request.requestId;
  }

  /** The request was answered (and its synthesizer handed back). */
  get isAnswered(): boolean {
    return this.answered;
  }

  /**
   * What a listener heard of this request when it had played `playedMs` (absent: all the audio sent so far). Read
   * right after a cancel, `sentMs` is the audio sent before the cancel took effect: no chunk is forwarded after.
   */
  heard(playedMs?: number): Heard {
    return this.spoken.heard(playedMs);
  }

  /** The request ends before it ran (dropped from a queue): answered for `reason`. */
  abandon(reason: AbortReason): void {
    if (this.request.input.kind === 'stream') this.request.input.text.close();
    this.finish(this.resultFor(reason, this.unstarted()));
  }

  /** The request is refused before it ran (a full queue): answered with `error`. */
  refuse(error: unknown): void {
    if (this.request.input.kind === 'stream') this.request.input.text.close();
    this.finish(this.resultFor(error, this.unstarted()));
  }

  /** Ends the request for `reason` from outside its transport (shutdown): aborts it, or drops it if not yet run. */
  stop(reason: AbortReason): void {
    if (this.answered) return;
    if (this.started) this.stream.abort(reason);
    else this.abandon(reason);
  }

  /** Serves the request; `signal` (cancel, disconnect) aborts it. A request answered already does nothing. */
  async run(signal?: AbortSignal): Promise<void> {
    if (this.answered || this.started) return;
    this.started = true;
    const { lease, sink, request, limits, span, stream } = this;
    const started = this.now();
    const progress: SynthesisProgress = {
      requestId: request.requestId,
      tier: null,
      firstByteMs: null,
      totalMs: 0,
      bytes: 0,
    };
    const forward = (): void => {
      sink.stopped?.();
      stream.abort(signal?.reason);
    };
    if (signal?.aborted === true) forward();
    else signal?.addEventListener('abort', forward, { once: true });
    let leased: LeasedSynthesizer | null = null;
    let end: SynthesisEnd = 'aborted';
    let result: SynthesisResult;
    try {
      stream.signal.throwIfAborted();
      leased = await lease.acquire(stream.signal);
      progress.tier = leased.tier;
      // The clock is read for the span only: with tracing off the shared no-op span is all there is.
      if (span !== NOOP_SYNTHESIS_SPAN) span.setPoolWaitMs(round(this.now() - started));
      span.setTier(leased.tier);
      sink.allocated(leased.tier);
      stream.signal.throwIfAborted();
      let seq = 0;
      const { spoken } = this;
      const turn: TurnOptions = {
        format: request.format,
        signal: stream.signal,
        maxAudioBytes: limits.maxAudioBytes,
        onChunk: (chunk) => {
          if (stream.signal.aborted) return;
          const buffered = sink.bufferedBytes();
          if (buffered > limits.maxBufferedBytes) {
            stream.abort(slowReader(buffered, limits.maxBufferedBytes));
            return;
          }
          if (progress.firstByteMs === null) {
            progress.firstByteMs = this.now() - this.firstByteOrigin(started);
            span.setFirstByteMs(round(progress.firstByteMs));
          }
          progress.bytes += chunk.length;
          spoken.sent(chunk.length);
          sink.emit(chunk, seq++);
        },
        onWord: (word) => {
          if (stream.signal.aborted) return;
          spoken.word(word);
          if (request.words === true) sink.word?.(word);
        },
      };
      await this.speak(leased.client, turn);
      stream.signal.throwIfAborted();
      end = 'completed';
      progress.totalMs = this.now() - started;
      result = { ...rounded(progress), kind: 'completed', tier: leased.tier };
    } catch (error) {
      progress.totalMs = this.now() - started;
      // An abort wins over whatever the aborted work threw on its way out.
      const reason: unknown = stream.signal.aborted ? stream.signal.reason : error;
      if (!isAbortReason(reason)) end = 'failed';
      result = this.resultFor(reason, progress);
    } finally {
      signal?.removeEventListener('abort', forward);
    }
    if (request.input.kind === 'stream') request.input.text.close();
    if (leased !== null) lease.release(leased.client, end);
    span.setAudioBytes(progress.bytes);
    this.finish(result);
  }

  private speak(client: TtsClient, turn: TurnOptions): Promise<SynthesisOutcome> {
    const { input } = this.request;
    if (input.kind === 'ssml') return client.synthesize({ ...turn, ssml: input.ssml, text: input.text });
    return input.text.speakOn(client, { ...turn, voice: input.voice });
  }

  /** A stream's first byte counts from its first piece (it may come long after the stream started). */
  private firstByteOrigin(started: number): number {
    const { input } = this.request;
    if (input.kind !== 'stream' || input.text.firstPieceAt === null) return started;
    return Math.max(started, input.text.firstPieceAt);
  }

  private unstarted(): SynthesisProgress {
    return { requestId: this.requestId, tier: null, firstByteMs: null, totalMs: 0, bytes: 0 };
  }

  /** Answers the request once and closes its span with the outcome the client was given. */
  private finish(result: SynthesisResult): void {
    if (this.answered) return;
    this.answered = true;
    const { span } = this;
    switch (result.kind) {
      case 'completed':
        span.setOutcome('ok');
        break;
      case 'canceled':
        span.setOutcome('canceled');
        break;
      case 'abandoned':
        span.setOutcome('abandoned');
        break;
      case 'failed':
        span.recordError(result.cause);
        span.setOutcome(result.error.code);
        break;
    }
    try {
      this.sink.reply(result);
    } finally {
      span.end();
      this.resolveFinished();
    }
  }

  private resultFor(reason: unknown, progress: SynthesisProgress): SynthesisResult {
    const done = rounded(progress);
    if (!isAbortReason(reason)) {
      return { ...done, kind: 'failed', error: toErrorBody(reason), cause: reason };
    }
    const reply = replyFor(reason);
    switch (reply.kind) {
      case 'canceled':
        return { ...done, kind: 'canceled' };
      case 'nobody':
        return { ...done, kind: 'abandoned' };
      case 'failed':
        return { ...done, kind: 'failed', error: toErrorBody(reply.error), cause: reply.error };
    }
  }
}

function rounded(progress: SynthesisProgress): SynthesisProgress & { tier: AllocationTier | null } {
  return {
    ...progress,
    firstByteMs: progress.firstByteMs === null ? null : round(progress.firstByteMs),
    totalMs: round(progress.totalMs),
  };
}
