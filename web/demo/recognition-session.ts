import type { Socket } from 'socket.io-client';
import { ServiceError, type FailedAck, type TypedError } from '../shared/typed-error';
import { nextRequestId } from './request-id';

const ACK_TIMEOUT_MS = 30_000;

export interface RecognitionEvents {
  partial(text: string): void;
  final(text: string): void;
  error(error: TypedError): void;
}

interface StartAck {
  ok: true;
  requestId: string;
  tier: string;
}

interface StopAck {
  ok: true;
  finals: number;
}

/**
 * One stt.start … stt.stop recognition on the voice socket. Audio may be sent right after start(): the service
 * holds what arrives before its recognizer runs. Results and errors for this request go to `events`.
 */
export class RecognitionSession {
  readonly requestId = nextRequestId('stt');
  private readonly listeners: Array<[string, (payload: unknown) => void]> = [];

  constructor(
    private readonly socket: Socket,
    private readonly events: RecognitionEvents,
  ) {
    this.listen('stt.partial', (p: { requestId: string; text: string }) => {
      if (p.requestId === this.requestId) this.events.partial(p.text);
    });
    this.listen('stt.final', (f: { requestId: string; text: string }) => {
      if (f.requestId === this.requestId) this.events.final(f.text);
    });
    this.listen('error', (e: TypedError & { requestId?: string }) => {
      if (e.requestId === this.requestId) this.events.error({ code: e.code, message: e.message });
    });
  }

  /** Resolves with the tier of the recognizer; rejects with the typed error of a failed ack. */
  async start(sampleRate: number): Promise<string> {
    const ack = (await this.socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('stt.start', { requestId: this.requestId, sampleRate })) as StartAck | FailedAck;
    if (!ack.ok) throw ServiceError.from(ack.error);
    return ack.tier;
  }

  send(pcm: ArrayBuffer): void {
    this.socket.emit('stt.audio', pcm);
  }

  /** Ends the audio; resolves with the number of final results once the last one arrived. */
  async stop(): Promise<number> {
    try {
      const ack = (await this.socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('stt.stop', { requestId: this.requestId })) as StopAck | FailedAck;
      if (!ack.ok) throw ServiceError.from(ack.error);
      return ack.finals;
    } finally {
      this.dispose();
    }
  }

  dispose(): void {
    for (const [event, listener] of this.listeners) this.socket.off(event, listener);
    this.listeners.length = 0;
  }

  /** Payloads are as the voice API documents them; the socket types them as unknown. */
  private listen<T>(event: string, listener: (payload: T) => void): void {
    const untyped = listener as (payload: unknown) => void;
    this.socket.on(event, untyped);
    this.listeners.push([event, untyped]);
  }
}
