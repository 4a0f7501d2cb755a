import type { ErrorEvent, SttFinal, SttPartial, SttStartedAck, SttStoppedAck } from '../protocol';
import { ask, type VoiceSocket } from './requests';

export interface RecognitionHandlers {
  /** What is being recognized so far (changes until the utterance's final). */
  onPartial?: (event: SttPartial) => void;
  /** One recognized utterance (also kept in `finals`). */
  onFinal?: (event: SttFinal) => void;
  /** An `error` event for this recognition: a refused audio frame, a failed recognition. */
  onError?: (event: ErrorEvent) => void;
  /** Longest wait for each ack (default: the client's `ackTimeoutMs`). */
  timeoutMs?: number;
}

/**
 * One recognition: `stt.start` is sent when it is created; audio may follow at once (the server holds what arrives
 * before its recognizer runs); `stop()` sends `stt.stop` and resolves once the last final is in.
 */
export class Recognition {
  /** The ack of `stt.start` (the recognizer's tier); rejects with the VoiceError of a refused start. */
  readonly started: Promise<SttStartedAck>;

  constructor(
    readonly requestId: string,
    private readonly socket: VoiceSocket,
    started: Promise<SttStartedAck>,
    /** The utterances recognized so far, in order. */
    readonly finals: readonly SttFinal[],
    private readonly timeoutMs: number,
    private readonly unroute: () => void,
  ) {
    this.started = started;
    // A refused start has no events to route; whoever does not await it learns of it from stop() as well.
    started.catch(() => this.unroute());
  }

  /** Sends one frame of 16-bit little-endian mono PCM at the declared rate (at most 64 KiB). */
  send(frame: Uint8Array | ArrayBuffer): void {
    this.socket.emit('stt.audio', frame);
  }

  /** Ends the audio; resolves with the ack (`finals`: how many were sent) once the last final arrived. */
  async stop(): Promise<SttStoppedAck> {
    try {
      return await ask(
        this.socket,
        'stt.stop',
        { requestId: this.requestId },
        this.timeoutMs,
        this.requestId,
      );
    } finally {
      this.unroute();
    }
  }

  /** Stops listening for this recognition's events without stopping it (e.g. the microphone could not start). */
  dispose(): void {
    this.unroute();
  }
}
