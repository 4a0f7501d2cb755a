import type { AllocationTier } from '../pools/allocation-tier';
import type { Clock } from '../pools/clock';
import type { ByteBudget } from '../recognition/byte-budget';
import type { SttStartPayload } from '../protocol';
import type { RecognitionService } from '../recognition/recognition.service';
import type { SttResultSink } from '../recognition/stt-result-sink';
import type { SttStream } from '../recognition/stt-stream';
import type { AbortReason } from '../synthesis/abort-reason';
import { badRequest } from '../synthesis/error-body';
import type { SessionSpan } from '../tracing/tracing';

/** How a session's recognitions are bounded. */
export interface SessionRecognitionBounds {
  /** Audio accepted after stt.start but before its ack, held until the recognizer runs. */
  maxEarlyAudioBytes: number;
  /** The same, for every session of the process together. */
  earlyAudioBudget: ByteBudget;
  /** VOICE_STT_AUDIO_IDLE: a recognition without audio for this long ends with TIMEOUT. */
  audioIdleMs: number;
  clock: Clock;
}

/**
 * A session's recognition: at most one at a time, from stt.start to stt.stop. A recognition that failed upstream
 * stays until stt.stop reports its failure; one that could not start, or that stopped, makes room at once.
 */
export class SessionRecognition {
  private current: SttStream | null = null;

  constructor(
    private readonly service: RecognitionService,
    private readonly bounds: SessionRecognitionBounds,
    /** A per-key work slot (throws RATE_LIMITED when none is free); returns its release. */
    private readonly claimWork: () => () => void,
  ) {}

  /** The current recognition's id, for `error` events about its audio. */
  get requestId(): string | undefined {
    return this.current?.requestId;
  }

  /**
   * stt.start. Throws a SpeechError when it cannot begin (one is still active, shutting down); the promise rejects
   * when it could not start (an abort's reason, or the failure).
   */
  start(
    payload: SttStartPayload,
    sink: SttResultSink,
    parent: SessionSpan,
  ): Promise<{ requestId: string; tier: AllocationTier }> {
    const active = this.current;
    if (active?.active === true) {
      throw badRequest(`recognition ${active.requestId} is still active; send stt.stop first`);
    }
    const { requestId, language, sampleRate, ...options } = payload ?? {};
    const release = this.claimWork();
    let stream: SttStream;
    try {
      stream = this.service.open({
        transport: 'socketio',
        requestId,
        language,
        sampleRate,
        options,
        sink,
        parent,
        ...this.bounds,
      });
    } catch (error) {
      release();
      throw error;
    }
    void stream.done.then(release);
    this.current = stream;
    return stream.start().then(
      (tier) => ({ requestId: stream.requestId, tier }),
      (error: unknown) => {
        this.forget(stream);
        throw error;
      },
    );
  }

  /** stt.audio: one frame for the current recognition (throws BAD_REQUEST when there is none to take it). */
  write(frame: Buffer): void {
    if (this.current === null) throw badRequest('no active recognition; send stt.start first');
    this.current.write(frame);
  }

  /** stt.stop: resolves with the number of final results once the last one was sent. */
  stop(requestId: string | undefined): Promise<number> {
    const stream = this.current;
    if (stream === null) throw badRequest('no active recognition; send stt.start first');
    if (requestId !== undefined && requestId !== stream.requestId) {
      throw badRequest(`requestId ${requestId} is not the active recognition (${stream.requestId})`);
    }
    return stream.stop().then(
      (finals) => {
        this.forget(stream);
        return finals;
      },
      (error: unknown) => {
        this.forget(stream);
        throw error;
      },
    );
  }

  /** Ends the current recognition now, for `reason` (disconnect, session end). */
  abort(reason: AbortReason): void {
    const stream = this.current;
    this.current = null;
    stream?.abort(reason);
  }

  private forget(stream: SttStream): void {
    if (this.current === stream) this.current = null;
  }
}
