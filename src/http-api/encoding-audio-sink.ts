import type { AllocationTier } from '../pools/allocation-tier';
import type { AudioSink, SynthesisResult } from '../synthesis/audio-sink';
import { PcmEncoderProcess, type EncodedFormat } from './pcm-encoders';

/**
 * Puts an encoder between a synthesis and its sink: the synthesizer's PCM goes into the encoder, and what the
 * encoder writes goes on to `inner` as it comes. The answer waits for the encoder's tail; an encoder that fails
 * turns the answer into that failure (before any audio: a proper error status). The encoder is stopped exactly
 * once, whatever ends the request.
 */
export class EncodingAudioSink implements AudioSink {
  private readonly encoder: PcmEncoderProcess;
  private seq = 0;
  private bytes = 0;
  private answered = false;
  /** The synthesis finished: its answer, held until the encoder has written everything. */
  private completed: SynthesisResult | null = null;

  constructor(
    format: EncodedFormat,
    sampleRate: number,
    private readonly inner: AudioSink,
  ) {
    this.encoder = new PcmEncoderProcess(format, sampleRate, {
      data: (chunk) => {
        this.bytes += chunk.length;
        this.inner.emit(chunk, this.seq++);
      },
      end: (error) => this.encoderEnded(error),
    });
  }

  allocated(tier: AllocationTier): void {
    this.inner.allocated(tier);
  }

  emit(chunk: Buffer): void {
    this.encoder.write(chunk);
  }

  bufferedBytes(): number {
    return this.encoder.pendingBytes() + this.inner.bufferedBytes();
  }

  reply(result: SynthesisResult): void {
    if (result.kind === 'completed') {
      this.completed = result;
      this.encoder.close();
      return;
    }
    this.encoder.destroy();
    this.answer(result);
  }

  private encoderEnded(error: Error | undefined): void {
    if (error === undefined) {
      // The encoder ends only after its input was closed, i.e. after a completed synthesis.
      if (this.completed !== null) this.answer({ ...this.completed, bytes: this.bytes });
      return;
    }
    const progress = this.completed ?? { requestId: '', tier: null, firstByteMs: null, totalMs: 0 };
    this.answer({
      ...progress,
      kind: 'failed',
      error: { code: 'INTERNAL', message: 'internal error', retryable: false },
      cause: error,
      bytes: this.bytes,
    });
  }

  private answer(result: SynthesisResult): void {
    if (this.answered) return;
    this.answered = true;
    this.inner.reply(result);
  }
}
