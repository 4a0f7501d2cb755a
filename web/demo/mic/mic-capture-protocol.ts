/** What the page and the microphone's AudioWorklet say to each other (kept apart so neither bundles the other). */
export const MIC_CAPTURE_PROCESSOR = 'mic-capture';

/** What the page passes in `processorOptions`. */
export interface MicCaptureOptions {
  targetRate: number;
  frameSamples: number;
}

/** Page → worklet: post what is buffered now. Worklet → page after it: every captured sample was posted. */
export const FLUSH = 'flush';
export const FLUSHED = 'flushed';
