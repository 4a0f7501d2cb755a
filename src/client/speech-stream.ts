import type { ErrorEvent, FailedAck, StreamStartAck, TtsStreamStartPayload, TtsWord } from '../protocol';
import { ask, type VoiceSocket } from './requests';
import type { AudioReceiver, SynthesisResult } from './synthesis';
import type { CancelResult } from './voice-client';

/** `tts.stream.start` answered well: a synthesizer is reserved (or the stream was canceled before it had one). */
export type StreamStarted = Exclude<StreamStartAck, FailedAck>;

/**
 * One streamed utterance (`tts.stream.*`): `tts.stream.start` is sent when it is created; pieces may follow at once
 * (the server holds them until the stream has a synthesizer, and speaks each sentence as soon as it is complete);
 * `end()` says the text is complete and resolves with the synthesis ack after the last audio chunk.
 *
 *   const stream = client.streamSpeech({ words: true }, { onAudio: play, onWord: caption });
 *   for await (const token of llm) stream.write(token);
 *   const ack = await stream.end();
 */
export class SpeechStream {
  /** The ack of `tts.stream.start`; rejects with the VoiceError of a refused stream. */
  readonly started: Promise<StreamStarted>;
  private ending: Promise<SynthesisResult> | null = null;

  private readonly socket: VoiceSocket;
  private readonly receiver: AudioReceiver;
  private readonly timeoutMs: number;
  private readonly unroute: () => void;
  private readonly sendCancel: (playedMs: number | undefined) => Promise<CancelResult>;

  constructor(
    readonly requestId: string,
    parts: {
      socket: VoiceSocket;
      start: TtsStreamStartPayload & { requestId: string };
      receiver: AudioReceiver;
      timeoutMs: number;
      unroute: () => void;
      sendCancel: (playedMs: number | undefined) => Promise<CancelResult>;
    },
  ) {
    ({
      socket: this.socket,
      receiver: this.receiver,
      timeoutMs: this.timeoutMs,
      unroute: this.unroute,
      sendCancel: this.sendCancel,
    } = parts);
    this.started = ask(this.socket, 'tts.stream.start', parts.start, this.timeoutMs, requestId);
    // A refused start has no events to route; end() reports it as well.
    this.started.catch(() => this.unroute());
  }

  /** One piece of text (any size, down to a single token). Problems come back as `onError` events. */
  write(text: string): void {
    if (this.ending !== null) throw new Error(`stream ${this.requestId} was ended already`);
    this.socket.emit('tts.stream.text', { requestId: this.requestId, text });
  }

  /** The text is complete: resolves with the synthesis ack after the last audio chunk. */
  end(): Promise<SynthesisResult> {
    this.ending ??= ask(
      this.socket,
      'tts.stream.end',
      { requestId: this.requestId },
      this.timeoutMs,
      this.requestId,
    )
      .then((ack) => this.receiver.settle(ack))
      .finally(() => this.unroute());
    return this.ending;
  }

  /**
   * Barge-in: stops the stream (no more audio is sent) and resolves with what was heard: `sentMs`, and the
   * `spokenText` of the words that started before `playedMs` (the audio the listener actually played).
   */
  cancel(playedMs?: number): Promise<CancelResult> {
    return this.sendCancel(playedMs);
  }
}

/** What a streamed utterance's caller hears about besides the audio. */
export interface SpeechStreamHandlers {
  /** Each word's timing (with `words: true`), before the audio chunk that holds its start. */
  onWord?: (word: TtsWord) => void;
  /** `error` events for this stream: a refused piece, a stream that failed before `end()`. */
  onError?: (event: ErrorEvent) => void;
}
