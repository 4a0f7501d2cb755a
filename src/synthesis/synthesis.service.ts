import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { WorkTracker } from '../lifecycle/work-tracker';
import { SpeechMetrics } from '../metrics/speech-metrics';
import type { ResourcePool } from '../pools/resource-pool';
import { TTS_POOL } from '../speech-pools/pool-tokens';
import { POOLS_MODULE_OPTIONS, type PoolsModuleOptions } from '../speech-pools/pools-module-options';
import type { TtsClient } from '../speech/tts-client';
import type { VoiceCatalog } from '../speech/voice-catalog';
import { DISABLED_TRACING } from '../tracing/noop-tracing';
import { Tracing } from '../tracing/tracing';
import { VOICE_CATALOG } from '../upstream/upstream-tokens';
import { SHUTTING_DOWN } from './abort-reason';
import { DEFAULT_AUDIO_LIMITS, maxAudioBytesFor, type AudioLimits } from './audio-limits';
import { shuttingDown } from './error-body';
import { PooledSynthesizerLease } from './pooled-synthesizer-lease';
import { SessionSynthesizerLease } from './session-synthesizer-lease';
import { textIdle } from './abort-reason';
import { badRequest } from './error-body';
import { StreamedText } from './streamed-text';
import { SynthesisJob, type SpokenInput } from './synthesis-job';
import { prepareSsml, type InputChecks } from './synthesis-input';
import { MeteredAudioSink, outcomeOf } from './metered-audio-sink';
import type { LeaseKind, StreamOrder, SynthesisOrder } from './synthesis-order';
import type { SynthesizerLease } from './synthesizer-lease';

/**
 * The one synthesis path, whatever the transport (Socket.IO, HTTP, OpenAI's route): the input checks, the default
 * voice, the request id, the span, the audio limits and the synthesizer lease are decided here; the transport
 * brings what the client asked for and a sink, and gets one answer in that sink. Every accepted request is tracked
 * for the shutdown drain from the moment it is accepted, and counted (with its transport) when it is answered.
 */
@Injectable()
export class SynthesisService {
  private readonly logger = new Logger('Synthesis');
  private readonly limits: AudioLimits;
  private readonly checks: InputChecks;
  private readonly tracing: Tracing;
  private readonly trackRelease = (release: Promise<unknown>): void =>
    this.work.track(
      release.catch((error: unknown) =>
        this.logger.error(`releasing a synthesizer failed: ${String(error)}`),
      ),
    );

  constructor(
    @Inject(TTS_POOL) private readonly pool: ResourcePool<TtsClient>,
    @Inject(POOLS_MODULE_OPTIONS) private readonly poolsOptions: PoolsModuleOptions,
    private readonly work: WorkTracker,
    private readonly shutdown: ShutdownState,
    private readonly metrics: SpeechMetrics,
    @Optional() @Inject(VOICE_CATALOG) voices?: VoiceCatalog,
    // Absent in a module built without TracingModule (test harnesses): then tracing is off.
    @Optional() tracing?: Tracing,
  ) {
    this.tracing = tracing ?? DISABLED_TRACING;
    this.limits = {
      maxAudioMs: poolsOptions.tts.maxAudioMs ?? DEFAULT_AUDIO_LIMITS.maxAudioMs,
      maxAudioBytes: poolsOptions.tts.maxAudioBytes ?? DEFAULT_AUDIO_LIMITS.maxAudioBytes,
    };
    // A voice the upstream does not list is refused up front; when it could not list its voices, it decides.
    this.checks = {
      limits: this.limits,
      ...(voices === undefined ? {} : { knownVoice: (name: string) => voices.has(name) !== false }),
    };
  }

  /**
   * Checks a request and readies its job, which the caller runs when its turn comes (or drops with `abandon` /
   * `refuse`). Throws a SpeechError before anything is spent: SHUTTING_DOWN once shutdown has begun, BAD_REQUEST
   * for input no upstream should see. The span starts now: time spent waiting for its turn is part of it.
   */
  accept(order: SynthesisOrder): SynthesisJob {
    if (this.shutdown.isShuttingDown) throw shuttingDown();
    const { format } = order;
    const voice = order.voice ?? this.poolsOptions.tts.voice;
    const ssml = prepareSsml(
      {
        text: order.text,
        ssml: order.ssml,
        voice,
        format,
        speed: order.speed,
        style: order.style,
        textField: order.textField,
      },
      this.checks,
    );
    return this.jobFor(order, voice, { kind: 'ssml', ssml, text: order.text });
  }

  /**
   * Readies a streamed utterance (`tts.stream.*`): its job, run like any other, speaks `text` as the client writes
   * it. Throws like `accept` (SHUTTING_DOWN, BAD_REQUEST for an unknown voice). A stream that gets no piece for
   * its idle bound before its end is stopped with TIMEOUT.
   */
  acceptStream(order: StreamOrder): { job: SynthesisJob; text: StreamedText } {
    if (this.shutdown.isShuttingDown) throw shuttingDown();
    const voice = order.voice ?? this.poolsOptions.tts.voice;
    if (this.checks.knownVoice !== undefined && !this.checks.knownVoice(voice)) {
      throw badRequest(
        `unknown voice ${JSON.stringify(voice.slice(0, 100))}; the upstream has no such voice`,
      );
    }
    let job: SynthesisJob | null = null;
    const { idleTimeoutMs } = order.limits;
    const text = new StreamedText(order.limits, () => job?.stop(textIdle(idleTimeoutMs)), order.timers);
    job = this.jobFor(order, voice, { kind: 'stream', text, voice });
    return { job, text };
  }

  private jobFor(order: StreamOrder | SynthesisOrder, voice: string, input: SpokenInput): SynthesisJob {
    const { format } = order;
    const requestId = order.requestId ?? randomUUID();
    const span = this.tracing.startSynthesis(order.parent, requestId, voice);
    const job = new SynthesisJob(
      this.leaseFor(order.lease),
      new MeteredAudioSink(order.sink(requestId), (result) =>
        this.metrics.synthesis(order.transport, result.tier, outcomeOf(result), result.firstByteMs),
      ),
      { requestId, input, format, span, words: order.words },
      { maxBufferedBytes: order.maxBufferedBytes, maxAudioBytes: maxAudioBytesFor(format, this.limits) },
    );
    this.work.track(job.finished, () => job.stop(SHUTTING_DOWN));
    return job;
  }

  /** Accepts the request and serves it at once (throws like `accept`); resolves once it was answered. */
  synthesize(order: SynthesisOrder): Promise<void> {
    return this.accept(order).run(order.signal);
  }

  /** A voice session ended: its synthesizer goes back to the pool (warm, or destroyed if broken). */
  endSession(sessionId: string): void {
    this.trackRelease(this.pool.releaseForSession(sessionId));
  }

  private leaseFor(kind: LeaseKind): SynthesizerLease {
    if (kind.kind === 'session' && this.poolsOptions.sessionAwareness) {
      return new SessionSynthesizerLease(this.pool, kind.sessionId, this.trackRelease);
    }
    return new PooledSynthesizerLease(this.pool, this.trackRelease);
  }
}
