import { FLUSH, FLUSHED, MIC_CAPTURE_PROCESSOR, type MicCaptureOptions } from './mic-capture-protocol';
import { Int16FrameBuilder } from './pcm16';
import { StreamingResampler } from './pcm-resampler';

// The AudioWorklet global scope (TypeScript ships no library for it): only what this processor uses.
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(
  name: string,
  processor: new (options: AudioWorkletNodeOptions) => unknown,
): void;

/**
 * Runs on the audio thread: mixes the microphone to mono, resamples it from the context's rate to `targetRate`
 * and posts 16-bit PCM frames of `frameSamples` samples to the page (transferred, not copied).
 */
class MicCaptureProcessor extends AudioWorkletProcessor {
  private readonly resampler: StreamingResampler;
  private readonly frames: Int16FrameBuilder;

  constructor(options: AudioWorkletNodeOptions) {
    super();
    const { targetRate, frameSamples } = options.processorOptions as MicCaptureOptions;
    this.resampler = new StreamingResampler({ inputRate: sampleRate, outputRate: targetRate });
    this.frames = new Int16FrameBuilder(frameSamples, (frame) => this.port.postMessage(frame, [frame]));
    this.port.onmessage = (event: MessageEvent) => {
      if (event.data !== FLUSH) return;
      this.frames.flush();
      this.port.postMessage(FLUSHED);
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    if (channels !== undefined && channels.length > 0) {
      this.frames.push(this.resampler.push(mixToMono(channels)));
    }
    return true;
  }
}

function mixToMono(channels: Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0];
  const mono = new Float32Array(channels[0].length);
  for (const channel of channels) for (let i = 0; i < mono.length; i++) mono[i] += channel[i];
  for (let i = 0; i < mono.length; i++) mono[i] /= channels.length;
  return mono;
}

registerProcessor(MIC_CAPTURE_PROCESSOR, MicCaptureProcessor);
