import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { DISCONNECTED } from '../synthesis/abort-reason';
import { REQUEST_LEASE } from '../synthesis/synthesis-order';
import { SynthesisService } from '../synthesis/synthesis.service';
import { DISABLED_TRACING } from '../tracing/noop-tracing';
import { Tracing } from '../tracing/tracing';
import type { AudioSink } from '../synthesis/audio-sink';
import { wavHeader } from '../speech/wav-header';
import { EncodingAudioSink } from './encoding-audio-sink';
import { HttpAudioSink } from './http-audio-sink';
import { HttpEventSink } from './http-event-sink';
import { HTTP_API_SETTINGS, type HttpApiSettings } from './http-api-options';
import { HTTP_AUDIO_FORMATS, type HttpTtsFormat } from './http-audio-formats';
import { checkEncoderInstalled } from './pcm-encoders';
import type { ProblemStyle } from './problem-response';
import { EVENT_STREAM_TYPE, SseAudioSink } from './sse-audio-sink';

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
  /** Answer with Server-Sent Events (audio, words, done/error) instead of the audio itself. */
  events?: boolean;
  /** With `events`: a `word` event for every word. */
  words?: boolean;
  /** An Azure speaking style for text (`<mstts:express-as>`), one the voice has. */
  style?: string;
  /** `sse`: the file's bytes as OpenAI's `speech.audio.delta` events. Default: the bytes themselves. */
  streamFormat?: 'audio' | 'sse';
}

/**
 * The HTTP side of the synthesis service: a plain pool loan per request, the response as the audio sink, the
 * caller's `traceparent` as the span's parent. A client that disconnects aborts the synthesis, which gives the
 * synthesizer back (the pool stops the upstream turn).
 */
@Injectable()
export class HttpSynthesis {
  private readonly logger = new Logger('HttpApi');
  private readonly tracing: Tracing;

  constructor(
    private readonly synthesis: SynthesisService,
    @Inject(HTTP_API_SETTINGS) private readonly settings: HttpApiSettings,
    // Absent in a module built without TracingModule (test harnesses): then tracing is off.
    @Optional() tracing?: Tracing,
  ) {
    this.tracing = tracing ?? DISABLED_TRACING;
  }

  /**
   * Checks the request — throwing a SpeechError before anything is sent — then streams the audio into
   * `response`. Resolves once the response is over (complete, failed or abandoned by the client).
   */
  async respond(response: ServerResponse, request: HttpSynthesisRequest, style: ProblemStyle): Promise<void> {
    const format = HTTP_AUDIO_FORMATS[request.format];
    if (format.encoder !== undefined) await checkEncoderInstalled(format.encoder);
    const sse = request.streamFormat === 'sse';
    const client = new AbortController();
    const onClose = (): void => {
      if (!response.writableFinished) client.abort(DISCONNECTED);
    };
    response.on('close', onClose);
    try {
      // Gone already (while the request was being read): stop before a synthesizer is taken.
      if (response.destroyed || response.socket?.destroyed === true) client.abort(DISCONNECTED);
      const logInternal = (error: unknown): void =>
        this.logger.error('synthesis failed', error instanceof Error ? error.stack : String(error));
      await this.synthesis.synthesize({
        transport: style === 'openai' ? 'openai' : 'http',
        words: request.events === true && request.words === true,
        text: request.text,
        ssml: request.ssml,
        voice: request.voice,
        format: format.wire,
        speed: request.speed,
        style: request.style,
        textField: request.textField,
        lease: REQUEST_LEASE,
        sink: (requestId) => {
          let sink: AudioSink =
            request.events === true
              ? new HttpEventSink({ response, format, requestId, logInternal })
              : new HttpAudioSink({
                  response,
                  // OpenAI's events carry the WAV header in their first delta, not before them.
                  format: sse ? { ...format, contentType: EVENT_STREAM_TYPE, wavHeader: false } : format,
                  style,
                  startedAt: performance.now(),
                  logInternal,
                });
          if (sse) sink = new SseAudioSink(sink, format.wavHeader ? wavHeader(format.sampleRate) : null);
          if (format.encoder !== undefined)
            sink = new EncodingAudioSink(format.encoder, format.sampleRate, sink);
          return sink;
        },
        maxBufferedBytes: this.settings.maxBufferedBytes,
        // A child of the caller's trace (its `traceparent` header), if it sent one.
        parent: this.tracing.parentFromHeaders(response.req.headers),
        signal: client.signal,
      });
    } finally {
      response.off('close', onClose);
    }
  }
}
