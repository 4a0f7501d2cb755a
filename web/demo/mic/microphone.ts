import { FLUSH, FLUSHED, MIC_CAPTURE_PROCESSOR, type MicCaptureOptions } from './mic-capture-protocol';

/** The rate the recognizer is told about in stt.start. */
export const MIC_SAMPLE_RATE = 16_000;
/** 40 ms per stt.audio message: 25 messages a second, well inside the per-connection frame rate. */
const FRAME_SAMPLES = 640;
const WORKLET_URL = '/assets/mic-worklet.js';

/**
 * The microphone as a stream of 16 kHz 16-bit mono PCM frames: getUserMedia → AudioWorklet (mono mix,
 * band-limited resampling, 16-bit conversion on the audio thread) → `onFrame`. Echo cancellation, noise
 * suppression and gain control are off: recognizers do best on the unprocessed signal.
 */
export class Microphone {
  private stream: MediaStream | null = null;
  private context: AudioContext | null = null;
  private node: AudioWorkletNode | null = null;

  constructor(private readonly onFrame: (pcm: ArrayBuffer) => void) {}

  async start(): Promise<void> {
    if (navigator.mediaDevices?.getUserMedia === undefined) {
      throw Object.assign(
        new Error('this page needs a secure context (https or localhost) to use the microphone'),
        {
          data: {
            code: 'MIC_UNAVAILABLE',
            message: 'open the demo over https or on localhost to use the microphone',
          },
        },
      );
    }
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
    try {
      // The device's own rate: no resampling before the worklet's.
      this.context = new AudioContext();
      await this.context.audioWorklet.addModule(WORKLET_URL);
      const options: MicCaptureOptions = { targetRate: MIC_SAMPLE_RATE, frameSamples: FRAME_SAMPLES };
      this.node = new AudioWorkletNode(this.context, MIC_CAPTURE_PROCESSOR, {
        numberOfInputs: 1,
        numberOfOutputs: 0,
        processorOptions: options,
      });
      this.node.port.onmessage = (event: MessageEvent<unknown>) => {
        if (event.data instanceof ArrayBuffer) this.onFrame(event.data);
      };
      this.context.createMediaStreamSource(this.stream).connect(this.node);
      if (this.context.state === 'suspended') await this.context.resume();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Stops capturing; every frame captured before the call has been handed to `onFrame` when it resolves. */
  async stop(): Promise<void> {
    const node = this.node;
    this.node = null;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    if (node !== null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000); // a closed context answers nothing: do not hang on it
        node.port.onmessage = (event: MessageEvent<unknown>) => {
          if (event.data instanceof ArrayBuffer) this.onFrame(event.data);
          else if (event.data === FLUSHED) {
            clearTimeout(timer);
            resolve();
          }
        };
        node.port.postMessage(FLUSH);
      });
      node.disconnect();
    }
    const context = this.context;
    this.context = null;
    if (context !== null && context.state !== 'closed') await context.close();
  }

  get active(): boolean {
    return this.stream !== null;
  }
}

/** Loudness of a frame for the level meter, 0..1 (RMS, square-rooted so speech fills the meter). */
export function frameLevel(pcm: ArrayBuffer): number {
  const samples = new Int16Array(pcm);
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.min(1, Math.sqrt(Math.sqrt(sum / samples.length) / 32768) * 1.6);
}
