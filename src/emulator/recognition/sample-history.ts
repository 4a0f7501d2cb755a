/**
 * The most recent samples of a stream, addressed by absolute position, so audio from before a decision (the
 * VAD declares speech a few frames after it began) can still be read. Trimmed by the owner.
 */
export class SampleHistory {
  private buffer = new Int16Array(0);
  private start = 0; // absolute position of buffer[0]
  private length = 0;

  /** Absolute position just past the newest sample. */
  get end(): number {
    return this.start + this.length;
  }

  get oldest(): number {
    return this.start;
  }

  append(samples: Int16Array): void {
    if (this.length + samples.length > this.buffer.length) {
      const grown = new Int16Array(Math.max(this.buffer.length * 2, this.length + samples.length, 4096));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(samples, this.length);
    this.length += samples.length;
  }

  /** Samples in [from, to), clamped to what is kept. A view: copy it before the next append if kept. */
  read(from: number, to: number): Int16Array {
    const a = Math.max(from, this.start) - this.start;
    const b = Math.min(to, this.end) - this.start;
    return b > a ? this.buffer.subarray(a, b) : new Int16Array(0);
  }

  /** Forgets everything before `position`. */
  discardBefore(position: number): void {
    const drop = Math.min(this.length, Math.max(0, position - this.start));
    if (drop === 0) return;
    this.buffer.copyWithin(0, drop, this.length);
    this.length -= drop;
    this.start += drop;
    if (this.buffer.length > 1 << 20 && this.length < this.buffer.length / 4) {
      this.buffer = this.buffer.slice(0, Math.max(4096, this.length * 2)); // give memory back after a burst
    }
  }
}
