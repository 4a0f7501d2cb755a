import { systemClock, type Clock, type ClockTimer } from '../pools/clock';
import type { ResourcePool } from '../pools/resource-pool';
import { AllocationTier } from '../pools/allocation-tier';
import type { RecognizerSetup, TurnOptions } from '../speech/recognition-options';
import { SpeechError } from '../speech/speech-error';
import type { SttClient } from '../speech/stt-client';
import { isAbortReason, replyFor, untilAborted, type AbortReason } from '../synthesis/abort-reason';
import type { ErrorBody } from '../protocol/error-codes';
import { badRequest, toErrorBody } from '../synthesis/error-body';
import { NOOP_RECOGNITION_SPAN } from '../tracing/noop-tracing';
import type { RecognitionSpan } from '../tracing/tracing';
import type { ByteBudget } from './byte-budget';
import type { SttResultSink } from './stt-result-sink';

export interface SttStreamOptions {
  pool: ResourcePool<SttClient>;
  requestId: string;
  /** Language, input rate and language candidates: what the recognizer must be made for. */
  setup: RecognizerSetup;
  /** Applied when the recognizer starts (a warm one takes them). */
  turnOptions?: TurnOptions;
  sink: SttResultSink;
  /** Audio accepted while the recognizer is still being acquired and started. */
  maxEarlyAudioBytes: number;
  /** The process-wide bound on such audio, shared by every stream (absent: the per-stream bound only). */
  earlyAudioBudget?: ByteBudget;
  /** A running recognition that gets no audio for this long ends with TIMEOUT (absent or 0: never). */
  audioIdleMs?: number;
  /** The clock of the audio idle timer (tests inject a fake one); default: the system's. */
  clock?: Clock;
  /**
   * The recognition's trace span: the stream records pool wait, tier, finals and outcome on it and ends it when
   * its client goes back to the pool. Default: the shared no-op span.
   */
  span?: RecognitionSpan;
}

type Phase = 'starting' | 'running' | 'stopping' | 'failed' | 'ended';

/**
 * One stt.start … stt.stop recognition: a single-use client from the STT pool, fed with the client's PCM and
 * always released back to the pool (which destroys it and warms a replacement) — after stop, after an upstream
 * failure, or at once on abort (disconnect, shutdown). Audio that arrives before the recognizer runs is held,
 * up to a bound, and written in order once it does.
 */
export class SttStream {
  readonly requestId: string;
  private phase: Phase = 'starting';
  private client: SttClient | null = null;
  private failure: ErrorBody | null = null;
  private outcomeValue: string | null = null;
  private tierValue: AllocationTier | null = null;
  private readonly controller = new AbortController();
  private readonly span: RecognitionSpan;
  private early: Buffer[] = [];
  private earlyBytes = 0;
  private idleTimer: ClockTimer | null = null;
  private released: Promise<void> | null = null;
  private startHasSettled = false;
  private readonly startSettled: Promise<void>;
  private settleStart!: () => void;
  private readonly finished: Promise<void>;
  private resolveFinished!: () => void;

  constructor(private readonly options: SttStreamOptions) {
    this.requestId = options.requestId;
    this.span = options.span ?? NOOP_RECOGNITION_SPAN;
    this.startSettled = new Promise<void>((resolve) => (this.settleStart = resolve));
    this.finished = new Promise<void>((resolve) => (this.resolveFinished = resolve));
  }

  /** True until the stream ended (stopped, aborted) or failed: a session has at most one active stream. */
  get active(): boolean {
    return this.phase === 'starting' || this.phase === 'running' || this.phase === 'stopping';
  }

  /** Aborts when the stream is aborted (its reason: why); a stream that stopped or failed never aborts it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Resolves once the stream is over and its client went back to the pool (shutdown drains on this). */
  get done(): Promise<void> {
    return this.finished;
  }

  /**
   * How the recognition ended, as recorded on its span: `ok`, `canceled`, `abandoned` or the error code; null while
   * it runs (and for a stream that ended without any of these).
   */
  get outcome(): string | null {
    return this.outcomeValue;
  }

  /** The tier the client was told; null until start() allocated one. */
  get tier(): AllocationTier | null {
    return this.tierValue;
  }

  /**
   * Acquires (re-targeting a client built for another language, rate or language candidates: that is a COLD
   * allocation) and starts with the recognition's per-turn options.
   */
  async start(): Promise<AllocationTier> {
    const { pool, setup, turnOptions, sink, requestId } = this.options;
    const signal = this.controller.signal;
    const span = this.span;
    // The clock is read for the span only: with tracing off the shared no-op span is all there is.
    const traced = span !== NOOP_RECOGNITION_SPAN;
    const asked = traced ? performance.now() : 0;
    try {
      const allocation = await pool.acquireForSession(null, { signal });
      this.client = allocation.resource;
      if (traced) span.setPoolWaitMs(Math.round((performance.now() - asked) * 10) / 10);
      let tier = allocation.tier;
      if (signal.aborted) throw signal.reason;
      if (!this.client.fits(setup)) {
        await untilAborted(this.client.retarget(setup), signal);
        tier = AllocationTier.COLD;
      }
      span.setTier(tier);
      this.tierValue = tier;
      await untilAborted(
        this.client.start(
          {
            onPartial: (r) => sink.partial({ requestId, ...r }),
            onFinal: (r) => sink.final({ requestId, ...r }),
            onError: (error) => this.fail(error),
          },
          turnOptions,
        ),
        signal,
      );
      if (this.phase !== 'starting') throw signal.aborted ? signal.reason : this.failureError();
      this.phase = 'running';
      for (const frame of this.early) this.client.write(frame);
      this.dropEarlyAudio();
      this.watchAudio();
      return tier;
    } catch (error) {
      // An abort or an upstream failure has recorded its outcome already.
      if (this.phase === 'starting' && !isAbortReason(error)) this.recordFailure(error);
      if (this.phase === 'starting') this.phase = 'ended';
      this.release();
      throw error;
    } finally {
      this.startHasSettled = true;
      this.settleStart();
      this.checkFinished();
    }
  }

  /** Feeds one PCM frame; throws a BAD_REQUEST SpeechError (for an `error` event) when the stream cannot take it. */
  write(frame: Buffer): void {
    switch (this.phase) {
      case 'running':
        (this.client as SttClient).write(frame);
        this.watchAudio();
        return;
      case 'starting':
        if (this.earlyBytes + frame.length > this.options.maxEarlyAudioBytes) {
          throw badRequest(
            `more than ${this.options.maxEarlyAudioBytes} bytes of audio before the recognizer started; ` +
              'wait for the stt.start ack',
          );
        }
        if (this.options.earlyAudioBudget?.tryTake(frame.length) === false) {
          throw new SpeechError(
            'RATE_LIMITED',
            'the service holds as much audio from clients waiting for a recognizer as it may; ' +
              'wait for the stt.start ack before sending audio',
            { retryable: true },
          );
        }
        this.early.push(frame);
        this.earlyBytes += frame.length;
        return;
      case 'stopping':
        throw badRequest('recognition is stopping; no more audio is accepted');
      case 'failed':
        throw badRequest(
          `recognition ${this.requestId} failed (${this.failure?.code}); send stt.start again`,
        );
      case 'ended':
        throw badRequest('no active recognition; send stt.start first');
    }
  }

  /**
   * Ends the audio and resolves with the number of final results once the last one was emitted; the client is
   * then released. A stream that failed upstream rejects with that failure.
   */
  async stop(): Promise<number> {
    if (this.phase === 'starting') await this.startSettled;
    if (this.phase === 'failed') throw this.failureError();
    if (this.phase === 'stopping') throw badRequest(`recognition ${this.requestId} is already stopping`);
    if (this.phase !== 'running') throw badRequest('no active recognition; send stt.start first');
    this.phase = 'stopping';
    this.stopWatchingAudio();
    try {
      const { finals } = await untilAborted((this.client as SttClient).stop(), this.controller.signal);
      this.span.setFinals(finals);
      this.setOutcome('ok');
      return finals;
    } catch (error) {
      if (this.phase === 'stopping' && !isAbortReason(error)) this.recordFailure(error);
      throw error;
    } finally {
      if (this.phase === 'stopping') this.phase = 'ended';
      this.release();
    }
  }

  /**
   * Ends the stream now: the client goes back to the pool and no result follows. A reason answered with an error
   * (SHUTTING_DOWN) is reported to the sink first; a disconnect has nobody to tell. `cause`: the failure outside
   * the stream that ended it (an HTTP upload that went wrong), recorded on its span as the outcome.
   */
  abort(reason: AbortReason, cause?: unknown): void {
    const reply = replyFor(reason);
    if (this.active) {
      if (reply.kind === 'failed') {
        this.options.sink.error({ ...toErrorBody(reply.error), requestId: this.requestId });
      }
      if (cause !== undefined) this.recordFailure(cause);
      else if (reply.kind === 'failed') this.recordFailure(reply.error);
      else this.setOutcome(reply.kind === 'canceled' ? 'canceled' : 'abandoned');
    }
    if (this.phase !== 'failed') this.phase = 'ended';
    if (!this.controller.signal.aborted) this.controller.abort(reason);
    this.release();
  }

  private fail(error: SpeechError): void {
    if (!this.active) return;
    this.phase = 'failed';
    this.failure = toErrorBody(error);
    this.span.recordError(error);
    this.setOutcome(this.failure.code);
    this.options.sink.error({ ...this.failure, requestId: this.requestId });
    this.release();
  }

  private recordFailure(error: unknown): void {
    this.span.recordError(error);
    this.setOutcome(toErrorBody(error).code);
  }

  private setOutcome(outcome: string): void {
    this.outcomeValue = outcome;
    this.span.setOutcome(outcome);
  }

  private failureError(): SpeechError {
    const failure = this.failure ?? { code: 'INTERNAL', message: 'recognition failed', retryable: false };
    return new SpeechError(failure.code, failure.message, { retryable: failure.retryable });
  }

  /** Forgets the audio held before the recognizer ran (written or dropped), giving back its share of the budget. */
  private dropEarlyAudio(): void {
    this.options.earlyAudioBudget?.giveBack(this.earlyBytes);
    this.early = [];
    this.earlyBytes = 0;
  }

  /** (Re)starts the audio idle timer of a running recognition: a client that goes silent gives its recognizer back. */
  private watchAudio(): void {
    const idleMs = this.options.audioIdleMs ?? 0;
    if (idleMs <= 0) return;
    const clock = this.options.clock ?? systemClock;
    if (this.idleTimer !== null) clock.clearTimeout(this.idleTimer);
    this.idleTimer = clock.setTimeout(() => {
      this.idleTimer = null;
      if (this.phase !== 'running') return;
      const seconds = Math.round(idleMs / 100) / 10;
      this.fail(
        new SpeechError(
          'TIMEOUT',
          `recognition ${this.requestId} got no audio for ${seconds} s (VOICE_STT_AUDIO_IDLE) and was ended; ` +
            'send stt.start again',
        ),
      );
    }, idleMs);
  }

  private stopWatchingAudio(): void {
    if (this.idleTimer === null) return;
    (this.options.clock ?? systemClock).clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private release(): void {
    this.stopWatchingAudio();
    this.dropEarlyAudio();
    // Before start() got a client (abort during acquire) there is nothing to release yet; start() calls again.
    if (this.released === null && this.client !== null) {
      const client = this.client;
      // Handlers off first: a disposing recognizer must not emit into a socket that moved on.
      client.clearSessionState();
      // The pool reports destroy failures through its observer; nothing to add here.
      this.released = this.options.pool.release(client).catch(() => undefined);
    }
    // Every caller has left the active phases: the recognition is over (end is idempotent).
    this.span.end();
    this.checkFinished();
  }

  private checkFinished(): void {
    if (this.active || !this.startHasSettled) return;
    void (this.released ?? Promise.resolve()).then(this.resolveFinished);
  }
}
