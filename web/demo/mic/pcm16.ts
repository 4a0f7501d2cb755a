/**
 * Float sample (-1..1) to signed 16-bit, the inverse of how browsers decode 16-bit PCM (negative values scaled
 * by 32768, positive by 32767), so 16-bit audio that went through a float pipeline untouched comes back
 * bit-exact. Out-of-range values are clipped.
 */
export function floatToInt16(value: number): number {
  if (value <= -1) return -32768;
  if (value >= 1) return 32767;
  return value < 0 ? Math.round(value * 32768) : Math.round(value * 32767);
}

/** Collects samples into fixed-size 16-bit little-endian frames and hands each one over as it fills. */
export class Int16FrameBuilder {
  private frame: Int16Array<ArrayBuffer>;
  private filled = 0;

  constructor(
    private readonly frameSamples: number,
    private readonly emit: (frame: ArrayBuffer) => void,
  ) {
    this.frame = new Int16Array(frameSamples);
  }

  push(samples: Float32Array): void {
    for (let i = 0; i < samples.length; i++) {
      this.frame[this.filled++] = floatToInt16(samples[i]);
      if (this.filled === this.frameSamples) this.hand(this.frame.buffer);
    }
  }

  /** Hands over a partly filled frame (at the end of a capture). */
  flush(): void {
    if (this.filled > 0) this.hand(this.frame.buffer.slice(0, this.filled * 2));
  }

  private hand(buffer: ArrayBuffer): void {
    // Int16Array is little-endian on every platform browsers run on.
    this.emit(buffer);
    this.frame = new Int16Array(this.frameSamples);
    this.filled = 0;
  }
}
