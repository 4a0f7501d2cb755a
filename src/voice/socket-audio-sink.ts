import type { Socket } from 'socket.io';
import type { SynthesisAck, TtsAudio } from '../protocol';
import type { AudioSink, SynthesisResult } from '../synthesis/audio-sink';
import { sendBufferBytes } from './socket-send-buffer';
import { synthesisAck } from './synthesis-acks';
import type { VoiceMetrics } from './voice-metrics';

/** The audio of one tts.synthesize request: `tts.audio` events on its socket, then the ack. */
export class SocketAudioSink implements AudioSink {
  constructor(
    private readonly socket: Socket,
    private readonly requestId: string,
    private readonly answer: (ack: SynthesisAck) => void,
    private readonly metrics: VoiceMetrics,
    private readonly logInternal: (error: unknown) => void,
  ) {}

  emit(chunk: Buffer, seq: number): void {
    const message: TtsAudio = { requestId: this.requestId, seq, audio: chunk };
    this.socket.emit('tts.audio', message);
  }

  bufferedBytes(): number {
    return sendBufferBytes(this.socket);
  }

  reply(result: SynthesisResult): void {
    if (result.kind === 'completed' && result.firstByteMs !== null) {
      this.metrics.ttsFirstByte(result.tier, result.firstByteMs);
    }
    if (result.kind === 'failed' && result.error.code === 'INTERNAL') this.logInternal(result.cause);
    this.metrics.request('tts.synthesize', outcomeOf(result));
    const ack = synthesisAck(result);
    if (ack !== null && this.socket.connected) this.answer(ack);
  }
}

function outcomeOf(result: SynthesisResult) {
  switch (result.kind) {
    case 'completed':
      return 'ok' as const;
    case 'canceled':
    case 'abandoned':
      return 'canceled' as const;
    case 'failed':
      return result.error.code;
  }
}
