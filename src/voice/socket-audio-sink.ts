import type { Socket } from 'socket.io';
import type { AllocationTier } from '../pools/allocation-tier';
import type { SynthesisAck, TtsAudio, TtsWord } from '../protocol';
import type { WordTiming } from '../speech/word-timing';
import type { AudioSink, SynthesisResult } from '../synthesis/audio-sink';
import { outcomeOf } from '../synthesis/metered-audio-sink';
import { CoalescedAudio } from './coalesced-audio';
import type { Reply, SocketAnswers } from './socket-answers';
import { sendBufferBytes } from './socket-send-buffer';
import { synthesisAck } from './synthesis-acks';
import type { VoiceEvent } from './voice-metrics';

/**
 * The audio of one tts.synthesize request: `tts.word` and `tts.audio` events on its socket, then the ack. Chunks
 * that arrive within a few milliseconds of each other share one `tts.audio` (CoalescedAudio: the first goes out at
 * once); a word event or the ack first sends the audio still waiting, so every event keeps its place relative to
 * the bytes.
 */
export class SocketAudioSink implements AudioSink {
  private readonly audio = new CoalescedAudio((audio, seq) => {
    if (!this.socket.connected) return;
    const message: TtsAudio = { requestId: this.requestId, seq, audio };
    this.socket.emit('tts.audio', message);
  });

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

  /** `seq` is the job's chunk count; the messages are numbered by what is sent (several chunks may share one). */
  emit(chunk: Buffer, _seq: number): void {
    this.audio.push(chunk);
  }

  word(word: WordTiming): void {
    this.audio.flush();
    const message: TtsWord = { requestId: this.requestId, ...word };
    this.socket.emit('tts.word', message);
  }

  /** Stopped (tts.cancel): the audio still waiting goes out before the cancel is answered; none comes after. */
  stopped(): void {
    this.audio.flush();
  }

  bufferedBytes(): number {
    return sendBufferBytes(this.socket) + this.audio.waitingBytes;
  }

  reply(result: SynthesisResult): void {
    this.flushAudio();
    const ack = this.record(result);
    if (ack !== null && this.socket.connected) this.answer(ack);
  }

  /** Sends the audio still waiting (before an answer, so the client has every byte the ack counts); no more comes. */
  protected flushAudio(): void {
    this.audio.close();
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
