import type { Socket } from 'socket.io';
import type { TtsAudio } from '../protocol';
import type { AudioSink, SynthesisResult } from '../synthesis/audio-sink';
import { outcomeOf } from '../synthesis/metered-audio-sink';
import type { Reply, SocketAnswers } from './socket-answers';
import { sendBufferBytes } from './socket-send-buffer';
import { synthesisAck } from './synthesis-acks';

/** The audio of one tts.synthesize request: `tts.audio` events on its socket, then the ack. */
export class SocketAudioSink implements AudioSink {
  constructor(
    private readonly socket: Socket,
    private readonly requestId: string,
    private readonly answer: Reply,
    private readonly answers: SocketAnswers,
  ) {}

  allocated(): void {
    // The ack carries the tier (SynthesisResult has it).
  }

  emit(chunk: Buffer, seq: number): void {
    const message: TtsAudio = { requestId: this.requestId, seq, audio: chunk };
    this.socket.emit('tts.audio', message);
  }

  bufferedBytes(): number {
    return sendBufferBytes(this.socket);
  }

  reply(result: SynthesisResult): void {
    const { metrics } = this.answers;
    if (result.kind === 'failed' && result.error.code === 'INTERNAL') {
      this.answers.logInternal('tts.synthesize', result.cause);
    }
    metrics.request('tts.synthesize', outcomeOf(result));
    const ack = synthesisAck(result);
    if (ack !== null && this.socket.connected) this.answer(ack);
  }
}
