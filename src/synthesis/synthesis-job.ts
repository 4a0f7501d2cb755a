import type { AllocationTier } from '../pools/allocation-tier';
import type { WireFormat } from '../speech/audio-format';
import type { SynthesisRequest } from '../speech/tts-client';
import { NOOP_SYNTHESIS_SPAN } from '../tracing/noop-tracing';
import type { SynthesisSpan } from '../tracing/tracing';
import { isAbortReason, replyFor, slowReader, type AbortReason } from './abort-reason';
import type { AudioSink, SynthesisProgress, SynthesisResult } from './audio-sink';
import { toErrorBody } from './error-body';
import type { LeasedSynthesizer, SynthesisEnd, SynthesizerLease } from './synthesizer-lease';

/** One request, checked and turned into SSML already (see prepareSsml). */
export interface SynthesisJobRequest {
  requestId: string;
  ssml: string;
  format: WireFormat;
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
  }

  get requestId(): string {
    return this.request.requestId;
  }

  /** The request ends before it ran (dropped from a queue): answered for `reason`. */
  abandon(reason: AbortReason): void {
    this.finish(this.resultFor(reason, this.unstarted()));
  }

  /** The request is refused before it ran (a full queue): answered with `error`. */
  refuse(error: unknown): void {
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
    const forward = (): void => stream.abort(signal?.reason);
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
      const synthesis: SynthesisRequest = {
        ssml: request.ssml,
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
            progress.firstByteMs = this.now() - started;
            span.setFirstByteMs(round(progress.firstByteMs));
          }
          progress.bytes += chunk.length;
          sink.emit(chunk, seq++);
        },
      };
      await leased.client.synthesize(synthesis);
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
    if (leased !== null) lease.release(leased.client, end);
    span.setAudioBytes(progress.bytes);
    this.finish(result);
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
