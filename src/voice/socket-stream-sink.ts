import type { Socket } from 'socket.io';
import type { StreamStartedAck, SynthesisAck } from '../protocol';
import type { AllocationTier } from '../pools/allocation-tier';
import type { SynthesisResult } from '../synthesis/audio-sink';
import type { Reply, SocketAnswers } from './socket-answers';
import { SocketAudioSink } from './socket-audio-sink';

/**
 * The answers of one `tts.stream.*` utterance. `tts.stream.start` is acked once a synthesizer is reserved (or with
 * the failure that came first); `tts.stream.end` gets the synthesis ack after the last audio chunk. A stream that
 * ends before its client ended it (canceled, idle, failed) keeps its ack for a `tts.stream.end` still to come, and a
 * failure is told at once as an `error` event naming the stream.
 */
export class SocketStreamSink extends SocketAudioSink {
  private startReply: Reply | null;
  private endReply: Reply | null = null;
  /** The ack the stream ended with (null: nobody to answer); undefined while it runs. */
  private result: SynthesisAck | null | undefined;
  private endAnswered = false;

  constructor(socket: Socket, requestId: string, start: Reply, answers: SocketAnswers) {
    super(socket, requestId, () => undefined, answers, 'tts.stream.end');
    this.startReply = start;
  }

  /** True once `tts.stream.end` was received (a second one is refused). */
  get endAsked(): boolean {
    return this.endReply !== null || this.endAnswered;
  }

  override allocated(tier: AllocationTier): void {
    const start = this.startReply;
    this.startReply = null;
    const ack: StreamStartedAck = { ok: true, requestId: this.requestId, tier };
    if (start !== null) this.answers.ok('tts.stream.start', start, ack);
  }

  /** `tts.stream.end`: answered now if the stream is over already, else after its last audio chunk. */
  answerEnd(reply: Reply): void {
    if (this.result === undefined) {
      this.endReply = reply;
      return;
    }
    this.endAnswered = true;
    if (this.result !== null && this.socket.connected) reply(this.result);
  }

  override reply(result: SynthesisResult): void {
    this.flushAudio();
    const ack = this.record(result);
    this.result = ack;
    if (ack === null || !this.socket.connected) return;
    const start = this.startReply;
    this.startReply = null;
    // Ended before it had a synthesizer: the start is answered with how it ended.
    if (start !== null) start(ack);
    const end = this.endReply;
    this.endReply = null;
    if (end !== null) {
      this.endAnswered = true;
      end(ack);
    } else if (start === null && !ack.ok) {
      this.answers.emitError(this.socket, ack.error, this.requestId);
    }
  }
}
