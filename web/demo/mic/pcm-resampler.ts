export interface ResamplerOptions {
  inputRate: number;
  outputRate: number;
  /** Zero crossings of the sinc kept on each side: longer = sharper cut-off, more work (default 24). */
  zeroCrossings?: number;
  /** Pass band edge as a fraction of the lower Nyquist frequency (default 0.92: 7.36 kHz for 16 kHz output). */
  cutoff?: number;
}

/** Kernel table entries per input sample; the kernel is interpolated linearly between them. */
const TABLE_RESOLUTION = 128;

/**
 * Streaming band-limited resampler for mono float audio (a microphone's 44.1 or 48 kHz to the 16 kHz a
 * recognizer takes). Each output sample is the input convolved with a Blackman-windowed sinc low-pass centred on
 * the output instant, so content above the output's Nyquist frequency is removed before it could alias. Works
 * for any pair of rates, in any chunking: the output depends only on the samples, not on how they were split.
 * Output sample n stands for input instant n × inputRate / outputRate (no added delay).
 */
export class StreamingResampler {
  private readonly inputRate: number;
  private readonly outputRate: number;
  private readonly halfWidth: number;
  private readonly kernel: Float32Array;
  private buffer: Float32Array;
  private length: number;
  /** Absolute input index of buffer[0] (negative while the zeros before the first sample are in it). */
  private bufferStart: number;
  /** Output samples produced so far; output n stands for input instant n × inputRate / outputRate. */
  private produced = 0;

  constructor(options: ResamplerOptions) {
    const { inputRate, outputRate } = options;
    if (!(inputRate > 0 && outputRate > 0)) throw new RangeError('sample rates must be positive');
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    // Cut-off in cycles per input sample, below the lower of the two Nyquist frequencies.
    const fc = 0.5 * Math.min(1, outputRate / inputRate) * (options.cutoff ?? 0.92);
    this.halfWidth = Math.ceil((options.zeroCrossings ?? 24) / (2 * fc));
    this.kernel = buildKernel(fc, this.halfWidth);
    // The first output is centred on the first input sample: zeros stand in for the samples before it.
    this.buffer = new Float32Array(this.halfWidth * 4 + 1024);
    this.length = this.halfWidth;
    this.bufferStart = -this.halfWidth;
  }

  /** Resamples the next input chunk; returns the output samples it completes (possibly none). */
  push(input: Float32Array): Float32Array {
    if (this.inputRate === this.outputRate) return input.slice();
    this.append(input);
    const end = this.bufferStart + this.length;
    const out: number[] = [];
    for (;;) {
      // Computed afresh from whole numbers each time, so chunking cannot change the rounding.
      const instant = (this.produced * this.inputRate) / this.outputRate;
      if (Math.floor(instant) + this.halfWidth >= end) break;
      out.push(this.sampleAt(instant));
      this.produced++;
    }
    this.discardConsumed();
    return Float32Array.from(out);
  }

  private sampleAt(instant: number): number {
    const centre = Math.floor(instant);
    const frac = instant - centre;
    const { buffer, kernel, halfWidth } = this;
    const local = centre - this.bufferStart;
    let sum = 0;
    // Taps centre - halfWidth + 1 … centre + halfWidth, at distance |tap - instant| from the instant.
    // No Math.* in the loop: plain arithmetic is fastest on every engine (and in sandboxed test runners).
    for (let k = -halfWidth + 1; k <= halfWidth; k++) {
      const d = k - frac;
      const x = (d < 0 ? -d : d) * TABLE_RESOLUTION;
      const i = x | 0;
      const t = x - i;
      sum += buffer[local + k] * (kernel[i] + (kernel[i + 1] - kernel[i]) * t);
    }
    return sum;
  }

  private append(input: Float32Array): void {
    if (this.length + input.length > this.buffer.length) {
      const grown = new Float32Array((this.length + input.length) * 2);
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(input, this.length);
    this.length += input.length;
  }

  /** Keeps only the history the next output still needs. */
  private discardConsumed(): void {
    const next = Math.floor((this.produced * this.inputRate) / this.outputRate);
    const drop = next - this.halfWidth + 1 - this.bufferStart;
    if (drop <= 0) return;
    this.buffer.copyWithin(0, drop, this.length);
    this.length -= drop;
    this.bufferStart += drop;
  }
}

/** h(x) = 2fc·sinc(2fc·x)·blackman(x), tabulated for |x| in [0, halfWidth] input samples (zero beyond). */
function buildKernel(fc: number, halfWidth: number): Float32Array {
  const size = halfWidth * TABLE_RESOLUTION;
  const table = new Float32Array(size + 2);
  for (let i = 0; i <= size; i++) {
    const x = i / TABLE_RESOLUTION;
    const arg = 2 * fc * x;
    const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
    const w = x / halfWidth; // 0 at the centre, 1 at the edge
    const blackman = 0.42 + 0.5 * Math.cos(Math.PI * w) + 0.08 * Math.cos(2 * Math.PI * w);
    table[i] = 2 * fc * sinc * blackman;
  }
  return table;
}
