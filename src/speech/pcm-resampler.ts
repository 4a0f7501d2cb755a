// Module-level aliases: global lookups in hot loops are slow inside vm contexts (Jest's sandbox).
const { abs, ceil, cos, floor, min, round, sin, PI } = Math;

/** Kernel samples per input-sample distance in the tabulated filter. */
const TABLE_RESOLUTION = 512;

/**
 * Converts a stream of 16-bit little-endian mono PCM from one sample rate to another, chunk by chunk: band-limited
 * (windowed-sinc, Blackman window) interpolation, with the cut-off lowered below the output's Nyquist frequency
 * when downsampling so nothing above it folds back into the speech band. Each output sample is normalised by the
 * kernel's sum, so DC gain is 1 (also where the kernel is cut at the ends). Output waits for the filter's
 * half-width of input; `end()` flushes the rest. Deterministic: the output does not depend on the chunking, and
 * equals resampling the whole input at once with the same kernel. The speech emulator has its own copy of that
 * kernel (it stands alone and imports nothing from here); the spec checks the two agree sample for sample.
 */
export class PcmResampler {
  /** Input samples per output sample. */
  private readonly step: number;
  private readonly halfWidth: number;
  private readonly table: Float64Array;
  /** Input samples kept: `held[0]` is absolute input sample `heldStart`. */
  private held = new Float64Array(0);
  private heldStart = 0;
  private received = 0;
  /** The next output sample's index. */
  private produced = 0;
  /** The odd byte of a sample split between two chunks. */
  private carry: Buffer | null = null;
  private ended = false;

  constructor(
    readonly inRate: number,
    readonly outRate: number,
    /** Zero crossings of the sinc on each side, at the filter's cut-off: more is sharper and slower. */
    zeroCrossings = 12,
  ) {
    if (!Number.isInteger(inRate) || !Number.isInteger(outRate) || inRate <= 0 || outRate <= 0) {
      throw new RangeError(`sample rates must be positive integers (got ${inRate} → ${outRate})`);
    }
    this.step = inRate / outRate;
    // A fraction of the input's Nyquist frequency, with 5 % of room for the window's transition band.
    const cutoff = min(1, outRate / inRate) * 0.95;
    this.halfWidth = ceil(zeroCrossings / cutoff);
    this.table = kernelTable(cutoff, this.halfWidth);
  }

  /** The output for `chunk`, as far as it can be computed yet (the rest follows with later chunks or `end`). */
  push(chunk: Buffer): Buffer {
    if (this.ended) throw new Error('the resampler has ended');
    let bytes = chunk;
    if (this.carry !== null) {
      bytes = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    if (bytes.length % 2 === 1) {
      this.carry = Buffer.from(bytes.subarray(bytes.length - 1));
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    const count = bytes.length / 2;
    const held = new Float64Array(this.held.length + count);
    held.set(this.held);
    for (let i = 0; i < count; i++) held[this.held.length + i] = bytes.readInt16LE(i * 2);
    this.held = held;
    this.received += count;
    return this.produce(false);
  }

  /** The rest of the output: the input's duration at the output rate in all. A second call gives nothing. */
  end(): Buffer {
    if (this.ended) return Buffer.alloc(0);
    this.ended = true;
    this.carry = null;
    return this.produce(true);
  }

  private produce(atEnd: boolean): Buffer {
    const { step, halfWidth, table } = this;
    const total = atEnd ? round((this.received * this.outRate) / this.inRate) : Infinity;
    const out: number[] = [];
    for (let n = this.produced; n < total; n++) {
      const t = n * step;
      const centre = floor(t);
      // Until the end, only samples whose whole kernel has arrived.
      if (!atEnd && centre + halfWidth > this.received - 1) break;
      const first = Math.max(0, centre - halfWidth + 1);
      const last = min(this.received - 1, centre + halfWidth);
      let acc = 0;
      let weights = 0;
      for (let i = first; i <= last; i++) {
        const pos = abs(t - i) * TABLE_RESOLUTION;
        const k = floor(pos);
        const w = table[k] + (table[k + 1] - table[k]) * (pos - k);
        acc += this.held[i - this.heldStart] * w;
        weights += w;
      }
      const value = weights !== 0 ? acc / weights : 0;
      out.push(value > 32767 ? 32767 : value < -32768 ? -32768 : round(value));
      this.produced = n + 1;
    }
    this.trim();
    const pcm = Buffer.alloc(out.length * 2);
    for (let i = 0; i < out.length; i++) pcm.writeInt16LE(out[i], i * 2);
    return pcm;
  }

  /** Drops the input no future output sample reaches. */
  private trim(): void {
    const needed = floor(this.produced * this.step) - this.halfWidth + 1;
    const drop = min(this.held.length, needed - this.heldStart);
    if (drop <= 0) return;
    this.held = this.held.slice(drop);
    this.heldStart += drop;
  }
}

/** The right half of the windowed-sinc kernel, tabulated at TABLE_RESOLUTION points per input sample. */
function kernelTable(cutoff: number, halfWidth: number): Float64Array {
  const size = halfWidth * TABLE_RESOLUTION + 2;
  const table = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    const x = j / TABLE_RESOLUTION;
    if (x >= halfWidth) continue;
    const px = PI * cutoff * x;
    const sinc = x === 0 ? 1 : sin(px) / px;
    const r = (x + halfWidth) / (2 * halfWidth); // 0.5..1: the right half of a symmetric window
    table[j] = sinc * (0.42 - 0.5 * cos(2 * PI * r) + 0.08 * cos(4 * PI * r));
  }
  return table;
}
