import type { SynthesisCanceledAck, SynthesisDoneAck, TtsAudio, TtsWord } from '../protocol';
import { toBytes } from './binary';
import { VoiceError } from './voice-error';

/** A synthesis that ended well: done, or canceled by the client (`canceled: true`, with what was sent until then). */
export type SynthesisResult = SynthesisDoneAck | SynthesisCanceledAck;

/** One `tts.audio` chunk: 16-bit little-endian mono PCM in the requested format. */
export interface AudioChunk {
  requestId: string;
  /** From 0, in order. */
  seq: number;
  audio: Uint8Array;
}

export interface SynthesisOptions {
  /** Each audio chunk as it arrives, in order, before the result. */
  onAudio?: (chunk: AudioChunk) => void;
  /** With `words: true`: each word's timing, before the audio chunk that holds its start. */
  onWord?: (word: TtsWord) => void;
  /** Aborting sends `tts.cancel` for the request; it then ends with the canceled ack. */
  signal?: AbortSignal;
  /** Longest wait for the ack (default: the client's `ackTimeoutMs`). A long text takes a while. */
  timeoutMs?: number;
}

/**
 * One synthesis's audio as it arrives: handed on in order, counted, and checked against the ack (the server acks
 * after the last chunk on the same connection, so every chunk is in by then).
 */
export class AudioReceiver {
  private nextSeq = 0;
  private bytes = 0;
  private fault: string | null = null;

  constructor(
    private readonly requestId: string,
    private readonly deliver: ((chunk: AudioChunk) => void) | undefined,
  ) {}

  receive(event: TtsAudio): void {
    if (event.seq !== this.nextSeq)
      this.fault ??= `audio chunk ${event.seq} arrived where ${this.nextSeq} was due`;
    this.nextSeq = event.seq + 1;
    const audio = toBytes(event.audio);
    this.bytes += audio.byteLength;
    this.deliver?.({ requestId: event.requestId, seq: event.seq, audio });
  }

  /** The ack, when the audio received agrees with it. */
  settle(ack: SynthesisResult): SynthesisResult {
    const fault =
      this.fault ??
      (ack.bytes === this.bytes
        ? null
        : `received ${this.bytes} bytes of audio, the ack counts ${ack.bytes}`);
    if (fault !== null) throw new VoiceError('PROTOCOL', fault, false, this.requestId);
    return ack;
  }
}

/**
 * A synthesis consumed as an async iterator: `for await (const chunk of stream)` yields the audio in order and
 * ends after the last chunk (or throws the failure); `result` is the ack. Leaving the loop early cancels it.
 */
export class SynthesisStream implements AsyncIterable<AudioChunk> {
  private readonly queue: AudioChunk[] = [];
  private wake: (() => void) | null = null;
  private finished = false;
  private failure: Error | null = null;

  constructor(
    readonly requestId: string,
    /** The ack; rejects with the VoiceError of a failed synthesis. */
    readonly result: Promise<SynthesisResult>,
    private readonly sendCancel: () => Promise<unknown>,
  ) {
    result.then(
      () => this.end(null),
      (error: unknown) => this.end(error instanceof Error ? error : new Error(String(error))),
    );
  }

  /** Delivers a chunk to the iterator (the client calls this). */
  push(chunk: AudioChunk): void {
    this.queue.push(chunk);
    this.notify();
  }

  /** Sends `tts.cancel` for this synthesis; `result` then resolves with the canceled ack. */
  async cancel(): Promise<void> {
    if (!this.finished) await this.sendCancel();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<AudioChunk> {
    try {
      for (;;) {
        const chunk = this.queue.shift();
        if (chunk !== undefined) {
          yield chunk;
          continue;
        }
        if (this.finished) {
          if (this.failure !== null) throw this.failure;
          return;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      // The loop was left before the end: nobody listens any more.
      if (!this.finished) await this.cancel().catch(() => undefined);
    }
  }

  private end(failure: Error | null): void {
    this.finished = true;
    this.failure = failure;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
