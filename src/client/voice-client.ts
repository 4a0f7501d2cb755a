import type {
  CancelAck,
  FailedAck,
  SttFinal,
  SttStartPayload,
  TtsStreamStartPayload,
  TtsSynthesizePayload,
} from '../protocol';
import { Recognition, type RecognitionHandlers } from './recognition';
import { RequestIds } from './request-ids';
import { ask } from './requests';
import { SpeechStream, type SpeechStreamHandlers } from './speech-stream';
import {
  AudioReceiver,
  SynthesisStream,
  type AudioChunk,
  type SynthesisOptions,
  type SynthesisResult,
} from './synthesis';
import { VoiceConnection, type VoiceClientOptions } from './voice-connection';

/** The answer to `tts.cancel` that succeeded. */
export type CancelResult = Exclude<CancelAck, FailedAck>;

/** `stt.start`'s payload (every field optional). */
export type RecognitionStart = NonNullable<SttStartPayload>;

/**
 * A typed client of warmline's Socket.IO `/voice` API, for Node and browsers alike: the connection (token,
 * resumable session, reconnects, moves between replicas) and one method per request. Requests resolve with the
 * server's success ack as it was sent, and reject with a VoiceError (the failed ack's code, message and retryable,
 * or ACK_TIMEOUT / DISCONNECTED / PROTOCOL). A request id is made up when the payload has none.
 *
 *   const client = await VoiceClient.connect({ url: 'http://127.0.0.1:3000', token });
 *   const ack = await client.synthesize({ text: 'Hello' }, { onAudio: (chunk) => play(chunk.audio) });
 */
export class VoiceClient extends VoiceConnection {
  private readonly ids = new RequestIds();

  /** Connects and resolves at `session.ready`; rejects with the VoiceError of a refused or failed connection. */
  static async connect(options: VoiceClientOptions): Promise<VoiceClient> {
    const client = new VoiceClient(options);
    try {
      await client.ready();
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  /**
   * `tts.synthesize`: the audio goes to `onAudio` as it arrives, in order (with `words: true`, each word's timing to
   * `onWord` before the chunk holding its start); resolves with the ack after the last chunk.
   */
  synthesize(payload: TtsSynthesizePayload, options: SynthesisOptions = {}): Promise<SynthesisResult> {
    const requestId = payload.requestId ?? this.ids.next('tts');
    const receiver = new AudioReceiver(requestId, options.onAudio);
    const unroute = this.routes.add(requestId, {
      audio: (event) => receiver.receive(event),
      word: options.onWord,
    });
    const { signal } = options;
    const onAbort = (): void => void this.cancel(requestId).catch(() => undefined); // the ack tells how it ended
    signal?.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = options.timeoutMs ?? this.ackTimeoutMs;
    const answer = ask(this.socket, 'tts.synthesize', { ...payload, requestId }, timeoutMs, requestId);
    if (signal?.aborted === true) onAbort();
    return answer
      .then((ack) => receiver.settle(ack))
      .finally(() => {
        unroute();
        signal?.removeEventListener('abort', onAbort);
      });
  }

  /**
   * `tts.synthesize` as an async iterator of its audio chunks (`for await`); `result` is the ack. Iterate at once:
   * chunks are queued until they are read.
   */
  stream(payload: TtsSynthesizePayload, options: Omit<SynthesisOptions, 'onAudio'> = {}): SynthesisStream {
    const requestId = payload.requestId ?? this.ids.next('tts');
    let deliver: (chunk: AudioChunk) => void = () => undefined;
    const result = this.synthesize(
      { ...payload, requestId },
      { ...options, onAudio: (chunk) => deliver(chunk) },
    );
    const stream = new SynthesisStream(requestId, result, () => this.cancel(requestId));
    deliver = (chunk) => stream.push(chunk);
    return stream;
  }

  /**
   * `tts.stream.start`, sent at once: one utterance whose text you write piece by piece as it is generated (a
   * language model's tokens); audio starts with the first complete sentence. See SpeechStream.
   */
  streamSpeech(
    payload: TtsStreamStartPayload = {},
    options: Omit<SynthesisOptions, 'signal'> & SpeechStreamHandlers = {},
  ): SpeechStream {
    const requestId = payload?.requestId ?? this.ids.next('tts');
    const receiver = new AudioReceiver(requestId, options.onAudio);
    const unroute = this.routes.add(requestId, {
      audio: (event) => receiver.receive(event),
      word: options.onWord,
      error: options.onError,
    });
    // The stream belongs to the connection it started on: its pieces and its end go there too.
    const socket = this.socket;
    return new SpeechStream(requestId, {
      socket,
      start: { ...payload, requestId },
      receiver,
      timeoutMs: options.timeoutMs ?? this.ackTimeoutMs,
      unroute,
      sendCancel: (playedMs) => this.cancel(requestId, { playedMs }),
    });
  }

  /**
   * `tts.cancel`: a queued synthesis is dropped, a running one stops; idempotent (an unknown id is fine). The
   * answer says what was heard: `sentMs` of audio went out, `spokenText` is the words that started before
   * `playedMs` (pass how much of the request's audio the listener actually played) or before `sentMs`.
   */
  cancel(requestId: string, options: { timeoutMs?: number; playedMs?: number } = {}): Promise<CancelResult> {
    const payload =
      options.playedMs === undefined ? { requestId } : { requestId, playedMs: options.playedMs };
    return ask(this.socket, 'tts.cancel', payload, options.timeoutMs ?? this.ackTimeoutMs, requestId);
  }

  /** `stt.start`, sent at once; send audio through the returned Recognition and end it with `stop()`. */
  recognize(payload: RecognitionStart = {}, handlers: RecognitionHandlers = {}): Recognition {
    const requestId = payload.requestId ?? this.ids.next('stt');
    const finals: SttFinal[] = [];
    const unroute = this.routes.add(requestId, {
      partial: handlers.onPartial,
      final: (event) => {
        finals.push(event);
        handlers.onFinal?.(event);
      },
      error: handlers.onError,
    });
    const timeoutMs = handlers.timeoutMs ?? this.ackTimeoutMs;
    const socket = this.socket;
    const started = ask(socket, 'stt.start', { ...payload, requestId }, timeoutMs, requestId);
    return new Recognition(requestId, socket, started, finals, timeoutMs, unroute);
  }
}
