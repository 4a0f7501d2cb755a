import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { VOICE_CATALOG } from '../upstream/upstream-tokens';
import { TTS_POOL } from '../speech-pools/pool-tokens';
import { POOLS_MODULE_OPTIONS, type PoolsModuleOptions } from '../speech-pools/pools-module-options';
import type { ResourcePool } from '../pools/resource-pool';
import type { WireFormat } from '../speech/audio-format';
import type { TtsClient } from '../speech/tts-client';
import type { VoiceCatalog } from '../speech/voice-catalog';
import { DISCONNECTED } from '../synthesis/abort-reason';
import { DEFAULT_AUDIO_LIMITS, maxAudioBytesFor, type AudioLimits } from '../synthesis/audio-limits';
import { badRequest, shuttingDown } from '../synthesis/error-body';
import { PooledSynthesizerLease } from '../synthesis/pooled-synthesizer-lease';
import { SynthesisJob } from '../synthesis/synthesis-job';
import { prepareSsml, type InputChecks } from '../synthesis/synthesis-input';
import { illegalCharacterProblem } from '../synthesis/xml-characters';
import { DISABLED_TRACING } from '../tracing/noop-tracing';
import { Tracing } from '../tracing/tracing';
import { HttpAudioSink } from './http-audio-sink';
import { HTTP_API_SETTINGS, type HttpApiSettings } from './http-api-options';
import { HTTP_AUDIO_FORMATS, type HttpTtsFormat } from './http-audio-formats';
import { HttpWork } from './http-work';
import type { ProblemStyle } from './problem-response';
import { textToSsmlAtRate } from './speech-ssml';
import { TierRecordingLease } from './tier-recording-lease';

/** One synthesis request of either HTTP route family, validated for shape already. */
export interface HttpSynthesisRequest {
  text?: string;
  ssml?: string;
  /** Default: the service's SPEECH_TTS_VOICE. */
  voice?: string;
  format: HttpTtsFormat;
  /** Speaking rate for text (1 = normal), as SSML prosody. */
  speed?: number;
  /** What the client called the text field (`text`, OpenAI's `input`), for error messages. */
  textField: string;
}

/**
 * The HTTP transport of the one synthesis path: the same input checks, SynthesisJob and pool as the Socket.IO
 * API, with a plain pool loan per request (PooledSynthesizerLease) and the response as the AudioSink. A client
 * that disconnects aborts the job, which gives the synthesizer back (the pool stops the upstream turn).
 */
@Injectable()
export class HttpSynthesis {
  private readonly logger = new Logger('HttpApi');
  private readonly audioLimits: AudioLimits;
  private readonly checks: InputChecks;
  private readonly tracing: Tracing;

  constructor(
    @Inject(TTS_POOL) private readonly pool: ResourcePool<TtsClient>,
    @Inject(POOLS_MODULE_OPTIONS) private readonly poolsOptions: PoolsModuleOptions,
    @Inject(HTTP_API_SETTINGS) private readonly settings: HttpApiSettings,
    private readonly work: HttpWork,
    @Optional() @Inject(VOICE_CATALOG) voices?: VoiceCatalog,
    // Absent in a module built without TracingModule (test harnesses): then tracing is off.
    @Optional() tracing?: Tracing,
  ) {
    this.tracing = tracing ?? DISABLED_TRACING;
    this.audioLimits = {
      maxAudioMs: poolsOptions.tts.maxAudioMs ?? DEFAULT_AUDIO_LIMITS.maxAudioMs,
      maxAudioBytes: poolsOptions.tts.maxAudioBytes ?? DEFAULT_AUDIO_LIMITS.maxAudioBytes,
    };
    // A voice the upstream does not list is refused up front; when it could not list its voices, it decides.
    this.checks = {
      limits: this.audioLimits,
      ...(voices === undefined ? {} : { knownVoice: (name: string) => voices.has(name) !== false }),
    };
  }

  /**
   * Checks the request — throwing a SpeechError before anything is sent — then streams the audio into
   * `response`. Resolves once the response is over (complete, failed or abandoned by the client).
   */
  async respond(response: ServerResponse, request: HttpSynthesisRequest, style: ProblemStyle): Promise<void> {
    if (this.work.isDraining) throw shuttingDown();
    const format = HTTP_AUDIO_FORMATS[request.format];
    const voice = request.voice ?? this.poolsOptions.tts.voice;
    const ssml = this.ssmlFor(request, voice, format.wire);
    const startedAt = performance.now();
    const lease = new TierRecordingLease(
      new PooledSynthesizerLease(this.pool, (release) => this.work.track(release)),
    );
    const sink = new HttpAudioSink({
      response,
      format,
      style,
      startedAt,
      tier: () => lease.tier,
      logInternal: (error) =>
        this.logger.error('synthesis failed', error instanceof Error ? error.stack : String(error)),
    });
    const requestId = randomUUID();
    // A child of the caller's trace (its `traceparent` header), if it sent one.
    const span = this.tracing.startSynthesis(
      this.tracing.parentFromHeaders(response.req.headers),
      requestId,
      voice,
    );
    const job = new SynthesisJob(
      lease,
      sink,
      { requestId, ssml, format: format.wire, span },
      {
        maxBufferedBytes: this.settings.maxBufferedBytes,
        maxAudioBytes: maxAudioBytesFor(format.wire, this.audioLimits),
      },
    );
    await this.work.run(async (shutdown) => {
      const client = new AbortController();
      const onClose = (): void => {
        if (!response.writableFinished) client.abort(DISCONNECTED);
      };
      response.on('close', onClose);
      // Gone already (while the request was being checked): stop before a synthesizer is taken.
      if (response.destroyed || response.socket?.destroyed === true) client.abort(DISCONNECTED);
      try {
        await job.run(AbortSignal.any([shutdown, client.signal]));
      } finally {
        response.off('close', onClose);
      }
    });
  }

  private ssmlFor(request: HttpSynthesisRequest, voice: string, format: WireFormat): string {
    const { checks } = this;
    if (request.text === undefined) return prepareSsml({ ssml: request.ssml, voice, format }, checks);
    // Checked here first, so that a problem is reported against the field the client sent (`text`, `input`).
    const problem = illegalCharacterProblem(request.textField, request.text);
    if (problem !== null) throw badRequest(problem);
    const speed = request.speed ?? 1;
    if (speed === 1) return prepareSsml({ text: request.text, voice, format }, checks);
    return prepareSsml({ ssml: textToSsmlAtRate(request.text, voice, speed), voice, format }, checks);
  }
}
