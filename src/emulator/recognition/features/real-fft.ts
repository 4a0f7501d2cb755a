import FFT from 'fft.js';

/**
 * Power spectrum of real frames of one power-of-two size, on fft.js (radix-4). A typed face for a library whose
 * own declarations are untyped; buffers are reused, so one instance serves one stream at a time.
 */
export class RealFft {
  private readonly fft: FFT;
  private readonly spectrum: Float64Array;

  constructor(readonly size: number) {
    this.fft = new FFT(size);
    this.spectrum = new Float64Array(2 * size);
  }

  /** |X_k|² for k = 0 … size/2 into `out` (length size/2 + 1); `input` has `size` real samples. */
  powerSpectrum(input: Float64Array, out: Float64Array): void {
    this.fft.realTransform(this.spectrum, input);
    const s = this.spectrum;
    for (let k = 0; k <= this.size / 2; k++) out[k] = s[2 * k] * s[2 * k] + s[2 * k + 1] * s[2 * k + 1];
  }
}
