import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { STT_POOL } from '../speech-pools/pool-tokens';
import { POOLS_MODULE_OPTIONS, type PoolsModuleOptions } from '../speech-pools/pools-module-options';
import type { AllocationTier } from '../pools/allocation-tier';
import type { ResourcePool } from '../pools/resource-pool';
import { SpeechError } from '../speech/speech-error';
import type { SttClient } from '../speech/stt-client';
import { SttStream } from '../recognition/stt-stream';
import type { SttResultSink } from '../recognition/stt-result-sink';
import { DISCONNECTED, SHUTTING_DOWN, isAbortReason, replyFor } from '../synthesis/abort-reason';
import type { ErrorBody } from '../protocol/error-codes';
import { shuttingDown } from '../synthesis/error-body';
import { DISABLED_TRACING } from '../tracing/noop-tracing';
import { Tracing } from '../tracing/tracing';
import { HttpWork } from './http-work';
import { PcmUploadDecoder } from './pcm-upload-decoder';
import { recognitionLanguage } from './recognition-language';
import type { UploadEncoding } from './upload-content-type';

export interface TranscriptSegment {
  text: string;
  offsetMs: number;
  durationMs: number;
}

/** What a recognition of one upload found. */
export interface Transcript {
  /** The final results joined with spaces. */
  text: string;
  segments: TranscriptSegment[];
  tier: AllocationTier;
  /** Length of the audio uploaded. */
  durationMs: number;
  /** The locale it was recognised in. */
  language: string;
}

export interface RecognitionUpload {
  /** The upload's bytes as they arrive (already bounded by HTTP_MAX_UPLOAD). */
  chunks: AsyncIterable<Buffer>;
  encoding: UploadEncoding;
  /** A locale or ISO 639-1 language; default SPEECH_STT_LANGUAGE. */
  language?: string;
  /** Stops reading the upload (called when the recognition is aborted at shutdown). */
  stopReading: (reason: Error) => void;
  /** The request's headers: a `traceparent` there makes the recognition's span a child of the caller's trace. */
  headers: IncomingHttpHeaders;
}

/**
 * The HTTP transport of the one recognition path: the upload is decoded (WAV header or raw PCM) and written into
 * an SttStream as it arrives — the same single-use recognizers and pool as the Socket.IO API — and its final
 * results are collected into one answer. However it ends, the recognizer goes back to the pool.
 */
@Injectable()
export class HttpRecognition {
  private readonly tracing: Tracing;

  constructor(
    @Inject(STT_POOL) private readonly pool: ResourcePool<SttClient>,
    @Inject(POOLS_MODULE_OPTIONS) private readonly poolsOptions: PoolsModuleOptions,
    private readonly work: HttpWork,
    // Absent in a module built without TracingModule (test harnesses): then tracing is off.
    @Optional() tracing?: Tracing,
  ) {
    this.tracing = tracing ?? DISABLED_TRACING;
  }

  /** The locale a request asks for (throws BAD_REQUEST for an unknown one). */
  languageFor(requested: string | undefined): string {
    return recognitionLanguage(requested, this.poolsOptions.stt.language);
  }

  async recognize(upload: RecognitionUpload): Promise<Transcript> {
    if (this.work.isDraining) throw shuttingDown();
    const language = this.languageFor(upload.language);
    return this.work.run((shutdown) => this.run(upload, language, shutdown));
  }

  private async run(upload: RecognitionUpload, language: string, shutdown: AbortSignal): Promise<Transcript> {
    const decoder = new PcmUploadDecoder(upload.encoding);
    const iterator = upload.chunks[Symbol.asyncIterator]();
    // The rate is needed to pick the recognizer: for WAV, read until the header is through (a few bytes).
    const pending: Buffer[] = [];
    let ended = false;
    while (decoder.sampleRate === null) {
      const next = await iterator.next();
      if (next.done === true) {
        ended = true;
        decoder.end(); // throws: the upload ended inside the header
        break;
      }
      pending.push(decoder.push(next.value));
    }

    const segments: TranscriptSegment[] = [];
    let failure: ErrorBody | null = null;
    const sink: SttResultSink = {
      partial: () => undefined,
      final: ({ text, offsetMs, durationMs }) => {
        if (text.trim() !== '') segments.push({ text, offsetMs, durationMs });
      },
      error: ({ code, message, retryable }) => (failure ??= { code, message, retryable }),
    };
    const requestId = randomUUID();
    const span = this.tracing.startRecognition(
      this.tracing.parentFromHeaders(upload.headers),
      requestId,
      language,
    );
    const stream = new SttStream({
      pool: this.pool,
      requestId,
      language,
      sampleRate: decoder.sampleRate as number,
      sink,
      maxEarlyAudioBytes: 0,
      span,
    });
    const onShutdown = (): void => {
      stream.abort(isAbortReason(shutdown.reason) ? shutdown.reason : SHUTTING_DOWN);
      upload.stopReading(new Error('the service is shutting down'));
    };
    shutdown.addEventListener('abort', onShutdown, { once: true });
    const failed = (): SpeechError | null =>
      failure === null
        ? null
        : new SpeechError(failure.code, failure.message, { retryable: failure.retryable });
    try {
      const tier = await stream.start();
      for (const pcm of pending) if (pcm.length > 0) stream.write(pcm);
      while (!ended) {
        const next = await iterator.next();
        if (next.done === true) break;
        const error = failed();
        if (error !== null) throw error;
        const pcm = decoder.push(next.value);
        if (pcm.length > 0) stream.write(pcm);
      }
      decoder.end();
      await stream.stop();
      return {
        text: segments.map((segment) => segment.text).join(' '),
        segments,
        tier,
        durationMs: Math.round((decoder.pcmBytes / 2 / (decoder.sampleRate as number)) * 1000),
        language,
      };
    } catch (error) {
      // Nobody waits for results any more (we answer the client ourselves); the recognizer goes back at once.
      // A failure of the request itself (a bad upload) is the stream's outcome: it did not see it otherwise.
      stream.abort(DISCONNECTED, isAbortReason(error) ? undefined : error);
      if (shutdown.aborted && isAbortReason(shutdown.reason)) {
        const reply = replyFor(shutdown.reason);
        throw reply.kind === 'failed' ? reply.error : error;
      }
      throw failed() ?? error;
    } finally {
      shutdown.removeEventListener('abort', onShutdown);
    }
  }
}
