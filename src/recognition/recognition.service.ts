import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { WorkTracker } from '../lifecycle/work-tracker';
import { SpeechMetrics } from '../metrics/speech-metrics';
import type { AllocationTier } from '../pools/allocation-tier';
import type { ResourcePool } from '../pools/resource-pool';
import type { ErrorBody } from '../protocol/error-codes';
import { STT_POOL } from '../speech-pools/pool-tokens';
import { POOLS_MODULE_OPTIONS, type PoolsModuleOptions } from '../speech-pools/pools-module-options';
import { RECOGNIZER_SAMPLE_RATE } from '../speech/audio-format';
import { recognizerSetup } from '../speech/recognition-options';
import { SpeechError } from '../speech/speech-error';
import type { SttClient } from '../speech/stt-client';
import { DISCONNECTED, SHUTTING_DOWN, isAbortReason, replyFor } from '../synthesis/abort-reason';
import { shuttingDown } from '../synthesis/error-body';
import { DISABLED_TRACING } from '../tracing/noop-tracing';
import { Tracing } from '../tracing/tracing';
import type { StreamedRecognitionOrder, UploadRecognitionOrder } from './recognition-order';
import { SttStream } from './stt-stream';

/**
 * The one recognition path, whatever the transport: single-use recognizers from the STT pool, the default language
 * and rate, the request id and the span are decided here; the transport brings what the client asked for and a
 * result sink. Every recognition is tracked for the shutdown drain from the moment it opens, and counted (with its
 * transport) once it is over.
 */
@Injectable()
export class RecognitionService {
  private readonly tracing: Tracing;

  constructor(
    @Inject(STT_POOL) private readonly pool: ResourcePool<SttClient>,
    @Inject(POOLS_MODULE_OPTIONS) private readonly poolsOptions: PoolsModuleOptions,
    private readonly work: WorkTracker,
    private readonly shutdown: ShutdownState,
    private readonly metrics: SpeechMetrics,
    // Absent in a module built without TracingModule (test harnesses): then tracing is off.
    @Optional() tracing?: Tracing,
  ) {
    this.tracing = tracing ?? DISABLED_TRACING;
  }

  /** The locale a recognition without one is made in (SPEECH_STT_LANGUAGE). */
  get defaultLanguage(): string {
    return this.poolsOptions.stt.language;
  }

  /**
   * Throws SHUTTING_DOWN once shutdown has begun: for a transport with work of its own to do before a recognition
   * opens (reading an upload's header), so that it refuses before doing it.
   */
  checkAccepting(): void {
    if (this.shutdown.isShuttingDown) throw shuttingDown();
  }

  /**
   * A recognition the client feeds as it speaks: call `start()` on it at once, then `write`, `stop` or `abort`.
   * Throws SHUTTING_DOWN once shutdown has begun.
   */
  open(order: StreamedRecognitionOrder): SttStream {
    this.checkAccepting();
    const requestId = order.requestId ?? randomUUID();
    const language = order.language ?? this.defaultLanguage;
    const { languages, ...turnOptions } = order.options ?? {};
    const stream = new SttStream({
      pool: this.pool,
      requestId,
      setup: recognizerSetup(language, order.sampleRate ?? RECOGNIZER_SAMPLE_RATE, { languages }),
      turnOptions,
      sink: order.sink,
      maxEarlyAudioBytes: order.maxEarlyAudioBytes,
      earlyAudioBudget: order.earlyAudioBudget,
      audioIdleMs: order.audioIdleMs,
      clock: order.clock,
      span: this.tracing.startRecognition(order.parent, requestId, language),
    });
    this.work.track(stream.done, () => stream.abort(SHUTTING_DOWN));
    void stream.done.then(() => {
      const outcome = stream.outcome;
      // Nobody left to answer counts as canceled, as for syntheses.
      const counted = outcome === null || outcome === 'abandoned' ? 'canceled' : outcome;
      this.metrics.recognition(order.transport, stream.tier, counted);
    });
    return stream;
  }

  /**
   * Recognizes audio as it arrives (written into the recognizer chunk by chunk, never held whole) and resolves
   * with the recognizer's tier once the last final result went to the sink. Rejects with the recognition's
   * failure, the audio's own (a bad upload), or SHUTTING_DOWN; however it ends, the recognizer goes back.
   */
  async transcribe(order: UploadRecognitionOrder): Promise<AllocationTier> {
    let failure: ErrorBody | null = null;
    const stream = this.open({
      ...order,
      maxEarlyAudioBytes: 0,
      sink: {
        partial: (result) => order.sink.partial(result),
        final: (result) => order.sink.final(result),
        error: (error) => {
          failure ??= error;
          order.sink.error(error);
        },
      },
    });
    const failed = (): SpeechError | null =>
      failure === null
        ? null
        : new SpeechError(failure.code, failure.message, { retryable: failure.retryable });
    // Only shutdown aborts the stream from outside: the upload is not read any further.
    const stopInput = (): void => order.stopInput?.(new Error('the service is shutting down'));
    stream.signal.addEventListener('abort', stopInput, { once: true });
    try {
      const tier = await stream.start();
      for await (const pcm of order.audio) {
        const error = failed();
        if (error !== null) throw error;
        if (pcm.length > 0) stream.write(pcm);
      }
      await stream.stop();
      return tier;
    } catch (error) {
      stream.signal.removeEventListener('abort', stopInput);
      const outside: unknown = stream.signal.aborted ? stream.signal.reason : undefined;
      // Nobody waits for results any more (the caller answers the client); the recognizer goes back at once. A
      // failure of the audio itself (a bad upload) is the recognition's outcome: it did not see it otherwise.
      stream.abort(DISCONNECTED, isAbortReason(error) ? undefined : error);
      if (isAbortReason(outside)) {
        const reply = replyFor(outside);
        throw reply.kind === 'failed' ? reply.error : error;
      }
      throw failed() ?? error;
    } finally {
      stream.signal.removeEventListener('abort', stopInput);
    }
  }
}
