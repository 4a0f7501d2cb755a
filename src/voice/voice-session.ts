import { DEFAULT_TTS_FORMAT, type TtsSynthesizePayload } from '../protocol';
import type { RecognitionService } from '../recognition/recognition.service';
import type { AbortReason } from '../synthesis/abort-reason';
import type { AudioSink } from '../synthesis/audio-sink';
import { badRequest, rateLimited } from '../synthesis/error-body';
import type { LeaseKind } from '../synthesis/synthesis-order';
import type { SynthesisService } from '../synthesis/synthesis.service';
import type { SessionSpan } from '../tracing/tracing';
import { SessionRecognition } from './session-recognition';
import { TtsRequestQueue } from './tts-request-queue';
import type { VoiceLimits } from './voice-options';

/** What every session uses: the speech services, and the per-session bounds. */
export interface SessionServices {
  synthesis: SynthesisService;
  recognition: RecognitionService;
  limits: VoiceLimits;
}

/**
 * A voice session: outlives its socket by the resume grace so a reconnecting client finds its DEDICATED
 * synthesizer (held by the TTS pool under the session id). Work in flight belongs to the socket that asked for
 * it and is aborted when that socket goes.
 */
export class VoiceSession {
  /** Synthesis requests, served in arrival order on the session's synthesizer. */
  readonly tts: TtsRequestQueue;
  /** stt.start … stt.stop. */
  readonly recognition: SessionRecognition;
  /** The voice the session last asked for; its text requests without a voice use it. */
  private voice: string | null = null;
  private readonly lease: LeaseKind;

  constructor(
    readonly id: string,
    readonly principal: string,
    private readonly services: SessionServices,
  ) {
    this.tts = new TtsRequestQueue(services.limits.maxQueuedSyntheses);
    this.recognition = new SessionRecognition(services.recognition, services.limits.maxEarlyAudioBytes);
    this.lease = Object.freeze({ kind: 'session', sessionId: id });
  }

  /**
   * tts.synthesize: accepted by the synthesis service and queued behind the session's earlier requests; the
   * answer goes to the sink. Throws a SpeechError for a request refused before it was accepted.
   */
  synthesize(
    payload: TtsSynthesizePayload,
    sink: (requestId: string) => AudioSink,
    parent: SessionSpan,
  ): void {
    const { limits, synthesis } = this.services;
    if (payload.requestId !== undefined && this.tts.has(payload.requestId)) {
      throw badRequest(`requestId ${payload.requestId} is already queued or running in this session`);
    }
    const job = synthesis.accept({
      transport: 'socketio',
      text: payload.text,
      ssml: payload.ssml,
      voice: payload.voice ?? this.voice ?? undefined,
      format: payload.format ?? DEFAULT_TTS_FORMAT,
      requestId: payload.requestId,
      lease: this.lease,
      sink,
      maxBufferedBytes: limits.maxSendBufferBytes,
      parent,
    });
    if (payload.voice !== undefined) this.voice = payload.voice;
    if (!this.tts.enqueue(job)) {
      job.refuse(
        rateLimited(
          `too many synthesis requests waiting (limit ${limits.maxQueuedSyntheses} per session); ` +
            'wait for earlier ones or cancel them',
        ),
      );
    }
  }

  /** Stops every synthesis and the recognition of the current connection, for `reason`. */
  abortWork(reason: AbortReason): void {
    this.tts.cancelAll(reason);
    this.recognition.abort(reason);
  }
}
