import { randomUUID } from 'node:crypto';
import {
  DEFAULT_TTS_FORMAT,
  type CancelDoneAck,
  type TtsStreamStartPayload,
  type TtsSynthesizePayload,
} from '../protocol';
import type { Clock } from '../pools/clock';
import type { ByteBudget } from '../recognition/byte-budget';
import type { RecognitionService } from '../recognition/recognition.service';
import type { CallerQuotas } from '../access/caller-quotas';
import type { AbortReason } from '../synthesis/abort-reason';
import type { AudioSink } from '../synthesis/audio-sink';
import { badRequest, rateLimited } from '../synthesis/error-body';
import type { LeaseKind } from '../synthesis/synthesis-order';
import type { SynthesisJob } from '../synthesis/synthesis-job';
import type { SynthesisService } from '../synthesis/synthesis.service';
import type { SessionSpan } from '../tracing/tracing';
import { SessionRecognition } from './session-recognition';
import { SessionRequests } from './session-requests';
import type { Reply } from './socket-answers';
import type { SocketStreamSink } from './socket-stream-sink';
import { TtsRequestQueue } from './tts-request-queue';
import type { VoiceLimits } from './voice-options';

/** What every session uses: the speech services, and the per-session bounds. */
export interface SessionServices {
  synthesis: SynthesisService;
  recognition: RecognitionService;
  limits: VoiceLimits;
  /** The per-key cap on syntheses and recognitions in flight, shared with the HTTP API. */
  quotas: CallerQuotas;
  /** Audio held before a recognizer runs, by every session together (VOICE_EARLY_AUDIO_TOTAL_MAX). */
  earlyAudio: ByteBudget;
  /** The audio idle timer's clock. */
  clock: Clock;
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
  /** Requests by id, running or recently answered: for cancel's `spokenText` and the pieces of streams. */
  private readonly requests = new SessionRequests();

  constructor(
    readonly id: string,
    readonly principal: string,
    private readonly services: SessionServices,
  ) {
    this.tts = new TtsRequestQueue(services.limits.maxQueuedSyntheses);
    this.recognition = new SessionRecognition(
      services.recognition,
      {
        maxEarlyAudioBytes: services.limits.maxEarlyAudioBytes,
        earlyAudioBudget: services.earlyAudio,
        audioIdleMs: services.limits.sttAudioIdleMs,
        clock: services.clock,
      },
      () => this.claimWork(),
    );
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
    this.checkNewId(payload.requestId);
    // In flight from acceptance (queued included) until answered, like an HTTP request.
    const slot = this.claimWork();
    const job = this.acceptOrRelease(slot, () =>
      synthesis.accept({
        transport: 'socketio',
        text: payload.text,
        ssml: payload.ssml,
        voice: payload.voice ?? this.voice ?? undefined,
        format: payload.format ?? DEFAULT_TTS_FORMAT,
        requestId: payload.requestId,
        words: payload.words,
        lease: this.lease,
        sink,
        maxBufferedBytes: limits.maxSendBufferBytes,
        parent,
      }),
    );
    void job.finished.then(slot);
    if (payload.voice !== undefined) this.voice = payload.voice;
    this.requests.add({ job });
    this.enqueue(job);
  }

  /**
   * tts.stream.start: an utterance whose text follows piece by piece, queued like a synthesis; `sink` answers the
   * start once a synthesizer is reserved. Throws a SpeechError for a stream refused before it was accepted.
   */
  streamStart(
    payload: TtsStreamStartPayload,
    sink: (requestId: string) => SocketStreamSink,
    parent: SessionSpan,
  ): void {
    const { limits, synthesis } = this.services;
    this.checkNewId(payload?.requestId);
    const requestId = payload?.requestId ?? randomUUID();
    // A stream holds one of the key's work slots from acceptance until answered, like any synthesis.
    const slot = this.claimWork();
    const streamSink = sink(requestId);
    const { job, text } = this.acceptOrRelease(slot, () =>
      synthesis.acceptStream({
        transport: 'socketio',
        voice: payload?.voice ?? this.voice ?? undefined,
        format: payload?.format ?? DEFAULT_TTS_FORMAT,
        requestId,
        words: payload?.words,
        lease: this.lease,
        sink: () => streamSink,
        maxBufferedBytes: limits.maxSendBufferBytes,
        parent,
        limits: { maxChars: limits.streamMaxChars, idleTimeoutMs: limits.streamIdleMs },
      }),
    );
    void job.finished.then(slot);
    if (payload?.voice !== undefined) this.voice = payload.voice;
    this.requests.add({ job, stream: { text, sink: streamSink } });
    this.enqueue(job);
  }

  /** tts.stream.text: one piece for a stream of this session. Throws BAD_REQUEST for an unknown or ended stream. */
  streamText(requestId: string, piece: string): void {
    this.streamOf(requestId).text.write(piece);
  }

  /** tts.stream.end: the stream's text is complete; `reply` gets the synthesis ack after its last audio chunk. */
  streamEnd(requestId: string, reply: Reply): void {
    const { text, sink } = this.streamOf(requestId);
    if (sink.endAsked) throw badRequest(`stream ${requestId} was ended already`);
    text.end();
    sink.answerEnd(reply);
  }

  /**
   * tts.cancel: a queued request is dropped, a running one stops (its own ack says it was canceled), and the answer
   * says what the listener heard: the audio sent until now, the words that start before `playedMs`. An id the
   * session does not know (any more) is fine: nothing was heard of it.
   */
  cancel(requestId: string, playedMs: number | undefined): CancelDoneAck {
    this.tts.cancel(requestId);
    const request = this.requests.get(requestId);
    const heard = request?.job.heard(playedMs) ?? { sentMs: 0, spokenText: '' };
    return { ok: true, ...heard };
  }

  private checkNewId(requestId: string | undefined): void {
    if (requestId !== undefined && this.tts.has(requestId)) {
      throw badRequest(`requestId ${requestId} is already queued or running in this session`);
    }
  }

  private streamOf(requestId: string) {
    const stream = this.requests.get(requestId)?.stream;
    if (stream === undefined) {
      throw badRequest(`no stream ${requestId} in this session; start it with tts.stream.start`);
    }
    return stream;
  }

  private enqueue(job: SynthesisJob): void {
    const { limits } = this.services;
    if (!this.tts.enqueue(job)) {
      job.refuse(
        rateLimited(
          `too many synthesis requests waiting (limit ${limits.maxQueuedSyntheses} per session); ` +
            'wait for earlier ones or cancel them',
        ),
      );
    }
  }

  /**
   * One of the key's VOICE_MAX_CONCURRENT_PER_KEY slots, for a synthesis or a recognition; throws RATE_LIMITED
   * when all are taken. Returns the release (call once the work has ended).
   */
  claimWork(): () => void {
    const slot = this.services.quotas.beginWork(this.principal);
    if (!slot.ok) throw rateLimited(slot.message);
    return slot.release;
  }

  private acceptOrRelease<T>(release: () => void, accept: () => T): T {
    try {
      return accept();
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Stops every synthesis and the recognition of the current connection, for `reason`. */
  abortWork(reason: AbortReason): void {
    this.tts.cancelAll(reason);
    this.recognition.abort(reason);
  }
}
