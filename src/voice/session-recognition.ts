import type { AllocationTier } from '../pools/allocation-tier';
import type { SttStartPayload } from '../protocol';
import type { RecognitionService } from '../recognition/recognition.service';
import type { SttResultSink } from '../recognition/stt-result-sink';
import type { SttStream } from '../recognition/stt-stream';
import type { AbortReason } from '../synthesis/abort-reason';
import { badRequest } from '../synthesis/error-body';
import type { SessionSpan } from '../tracing/tracing';

/**
 * A session's recognition: at most one at a time, from stt.start to stt.stop. A recognition that failed upstream
 * stays until stt.stop reports its failure; one that could not start, or that stopped, makes room at once.
 */
export class SessionRecognition {
  private current: SttStream | null = null;

  constructor(
    private readonly service: RecognitionService,
    /** Audio accepted after stt.start but before its ack, held until the recognizer runs. */
    private readonly maxEarlyAudioBytes: number,
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
    const stream = this.service.open({
      transport: 'socketio',
      requestId: payload?.requestId,
      language: payload?.language,
      sampleRate: payload?.sampleRate,
      sink,
      parent,
      maxEarlyAudioBytes: this.maxEarlyAudioBytes,
    });
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
