import type { AllocationTier } from '../pools/allocation-tier';
import type { AudioSink, SynthesisResult } from '../synthesis/audio-sink';

/** The content type of a speech answer sent as server-sent events. */
export const EVENT_STREAM_TYPE = 'text/event-stream';

function event(data: object): Buffer {
  return Buffer.from(`data: ${JSON.stringify(data)}\n\n`);
}

/**
 * OpenAI's `stream_format: "sse"` for speech: each chunk of the file (the same bytes the plain answer would carry,
 * a WAV header included) as a `speech.audio.delta` event with the bytes in base64, then one `speech.audio.done`
 * when the audio is complete. `inner` writes the events as it would audio (status and headers with the first).
 * OpenAI's done event reports token usage; warmline counts no tokens, so its usage is all zeros.
 */
export class SseAudioSink implements AudioSink {
  private first = true;

  constructor(
    private readonly inner: AudioSink,
    /** Bytes that start the file (a WAV header), sent in the first delta. */
    private readonly prefix: Buffer | null,
  ) {}

  allocated(tier: AllocationTier): void {
    this.inner.allocated(tier);
  }

  emit(chunk: Buffer, seq: number): void {
    const audio = this.first && this.prefix !== null ? Buffer.concat([this.prefix, chunk]) : chunk;
    this.first = false;
    this.inner.emit(event({ type: 'speech.audio.delta', audio: audio.toString('base64') }), seq);
  }

  bufferedBytes(): number {
    return this.inner.bufferedBytes();
  }

  reply(result: SynthesisResult): void {
    if (result.kind === 'completed') {
      this.inner.emit(
        event({
          type: 'speech.audio.done',
          usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
        }),
        Number.MAX_SAFE_INTEGER,
      );
    }
    this.inner.reply(result);
  }
}
