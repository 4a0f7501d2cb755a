import type { Socket } from 'socket.io';
import type { AllocationTier } from '../pools/allocation-tier';
import type { SynthesisAck, TtsAudio, TtsWord } from '../protocol';
import type { WordTiming } from '../speech/word-timing';
import type { AudioSink, SynthesisResult } from '../synthesis/audio-sink';
import { outcomeOf } from '../synthesis/metered-audio-sink';
import type { Reply, SocketAnswers } from './socket-answers';
import { sendBufferBytes } from './socket-send-buffer';
import { synthesisAck } from './synthesis-acks';
import type { VoiceEvent } from './voice-metrics';

/** The audio of one tts.synthesize request: `tts.word` and `tts.audio` events on its socket, then the ack. */
export class SocketAudioSink implements AudioSink {
  constructor(
    protected readonly socket: Socket,
    protected readonly requestId: string,
    private readonly answer: Reply,
    protected readonly answers: SocketAnswers,
    /** The request the ack answers (and its metrics count). */
    protected readonly event: VoiceEvent = 'tts.synthesize',
  ) {}

  allocated(_tier: AllocationTier): void {
    // The ack carries the tier (SynthesisResult has it).
  }

  emit(chunk: Buffer, seq: number): void {
    const message: TtsAudio = { requestId: this.requestId, seq, audio: chunk };
    this.socket.emit('tts.audio', message);
  }

  word(word: WordTiming): void {
    const message: TtsWord = { requestId: this.requestId, ...word };
    this.socket.emit('tts.word', message);
  }

  bufferedBytes(): number {
    return sendBufferBytes(this.socket);
  }

  reply(result: SynthesisResult): void {
    const ack = this.record(result);
    if (ack !== null && this.socket.connected) this.answer(ack);
  }

  /** Counts the result in the metrics (and logs an INTERNAL failure); the ack it is answered with. */
  protected record(result: SynthesisResult): SynthesisAck | null {
    const { metrics } = this.answers;
    if (result.kind === 'failed' && result.error.code === 'INTERNAL') {
      this.answers.logInternal(this.event, result.cause);
    }
    metrics.request(this.event, outcomeOf(result));
    return synthesisAck(result);
  }
}
