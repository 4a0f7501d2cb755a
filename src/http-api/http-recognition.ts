import { Injectable, Optional } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { AllocationTier } from '../pools/allocation-tier';
import type { RecognizedWord } from '../protocol';
import { RecognitionService } from '../recognition/recognition.service';
import type { RecognitionOptions } from '../speech/recognition-options';
import { RECOGNIZER_SAMPLE_RATE } from '../speech/audio-format';
import { PcmResampler } from '../speech/pcm-resampler';
import { DISABLED_TRACING } from '../tracing/noop-tracing';
import { Tracing } from '../tracing/tracing';
import { PcmUploadDecoder } from './pcm-upload-decoder';
import { recognitionLanguage } from './recognition-language';
import type { UploadEncoding } from './upload-content-type';

export interface TranscriptSegment {
  text: string;
  offsetMs: number;
  durationMs: number;
  /** With language candidates: the language identified. */
  language?: string;
  /** With `words`: its words and their times. */
  words?: RecognizedWord[];
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
  /** The route family it came in on (the metrics' `transport` label). */
  transport: 'http' | 'openai';
  /** The upload's bytes as they arrive (already bounded by HTTP_MAX_UPLOAD). */
  chunks: AsyncIterable<Buffer>;
  encoding: UploadEncoding;
  /** A locale or ISO 639-1 language; default SPEECH_STT_LANGUAGE. */
  language?: string;
  /** The recognition options (validated). */
  options?: RecognitionOptions;
  /** Stops reading the upload (called when the recognition is stopped at shutdown). */
  stopReading: (reason: Error) => void;
  /** The request's headers: a `traceparent` there makes the recognition's span a child of the caller's trace. */
  headers: IncomingHttpHeaders;
  /** Told each result as the recognizer reports it (a streamed answer); the transcript collects them anyway. */
  results?: RecognitionProgress;
}

/** The recognizer's results as they come: the running hypothesis of an utterance, then its final text. */
export interface RecognitionProgress {
  partial(text: string): void;
  /** Also for an utterance that came to nothing (empty text): its hypothesis is void. */
  final(text: string): void;
}

/**
 * The HTTP side of the recognition service: the upload is decoded (WAV header or raw PCM) as it arrives, resampled
 * to the warm recognizers' rate when it has another one (so a 24 kHz file gets a WARM recognizer rather than one
 * rebuilt for 24 kHz), and handed to the service's upload recognition, whose final results are collected into one
 * answer.
 */
@Injectable()
export class HttpRecognition {
  private readonly tracing: Tracing;

  constructor(
    private readonly recognition: RecognitionService,
    // Absent in a module built without TracingModule (test harnesses): then tracing is off.
    @Optional() tracing?: Tracing,
  ) {
    this.tracing = tracing ?? DISABLED_TRACING;
  }

  /** The locale a request asks for (throws BAD_REQUEST for an unknown one). */
  languageFor(requested: string | undefined): string {
    return recognitionLanguage(requested, this.recognition.defaultLanguage);
  }

  async recognize(upload: RecognitionUpload): Promise<Transcript> {
    this.recognition.checkAccepting();
    const language = this.languageFor(upload.language);
    const decoder = new PcmUploadDecoder(upload.encoding);
    const iterator = upload.chunks[Symbol.asyncIterator]();
    // The rate is known once the header is through (a few bytes of a WAV).
    const pending: Buffer[] = [];
    while (decoder.sampleRate === null) {
      const next = await iterator.next();
      if (next.done === true)
        decoder.end(); // throws: the upload ended inside the header
      else pending.push(decoder.push(next.value));
    }
    const sampleRate = decoder.sampleRate as number;
    const pcm = decoded(decoder, pending, iterator);
    const segments: TranscriptSegment[] = [];
    const tier = await this.recognition.transcribe({
      transport: upload.transport,
      language,
      sampleRate: RECOGNIZER_SAMPLE_RATE,
      options: upload.options,
      audio:
        sampleRate === RECOGNIZER_SAMPLE_RATE
          ? pcm
          : resampled(pcm, new PcmResampler(sampleRate, RECOGNIZER_SAMPLE_RATE)),
      sink: {
        partial: (result) => upload.results?.partial(result.text),
        final: ({ requestId: _id, ...segment }) => {
          if (segment.text.trim() !== '') segments.push(segment);
          upload.results?.final(segment.text);
        },
        error: () => undefined, // the service rejects with it
      },
      parent: this.tracing.parentFromHeaders(upload.headers),
      stopInput: upload.stopReading,
    });
    return {
      text: segments.map((segment) => segment.text).join(' '),
      segments,
      tier,
      durationMs: Math.round((decoder.pcmBytes / 2 / sampleRate) * 1000),
      language,
    };
  }
}

/** `pcm` at the resampler's output rate, as it arrives. */
async function* resampled(pcm: AsyncIterable<Buffer>, resampler: PcmResampler): AsyncGenerator<Buffer> {
  for await (const chunk of pcm) yield resampler.push(chunk);
  yield resampler.end();
}

/** The upload's PCM: what was decoded with the header, then the rest as it arrives; throws if it ends short. */
async function* decoded(
  decoder: PcmUploadDecoder,
  pending: readonly Buffer[],
  rest: AsyncIterator<Buffer>,
): AsyncGenerator<Buffer> {
  yield* pending;
  for (let next = await rest.next(); next.done !== true; next = await rest.next())
    yield decoder.push(next.value);
  decoder.end();
}
