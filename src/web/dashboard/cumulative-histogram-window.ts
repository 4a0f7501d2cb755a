/** A histogram read at one moment: cumulative counts per upper bound, ascending, the last bound Infinity. */
export interface CumulativeBuckets {
  upperBounds: readonly number[];
  counts: readonly number[];
}

/**
 * Quantiles over the last few readings of a cumulative (Prometheus) histogram. Each reading's difference to the
 * previous one is what was observed in between; the window sums the last `size` differences. Quantiles are
 * interpolated linearly inside the bucket the rank falls in, as PromQL's histogram_quantile does, so they are
 * as precise as the buckets are (and agree with what Grafana shows for the same series).
 */
export class CumulativeHistogramWindow {
  private previous: CumulativeBuckets | null = null;
  private readonly deltas: number[][] = [];

  constructor(private readonly size: number) {}

  /**
   * Adds a reading. A reading with no buckets is an empty histogram (nothing observed yet: prom-client has no
   * series before the first observation). A reading with other bounds, or with any count lower than before (a
   * reset), starts over.
   */
  push(reading: CumulativeBuckets): void {
    const previous = this.previous;
    this.previous = reading;
    if (reading.upperBounds.length === 0) {
      this.deltas.length = 0;
      return;
    }
    const base =
      previous !== null && previous.upperBounds.length === 0
        ? { upperBounds: reading.upperBounds, counts: reading.counts.map(() => 0) }
        : previous;
    if (base === null || !sameBounds(base, reading)) {
      this.deltas.length = 0;
      return;
    }
    const delta = reading.counts.map((count, i) => count - base.counts[i]);
    if (delta.some((d) => d < 0)) {
      this.deltas.length = 0;
      return;
    }
    this.deltas.push(delta);
    if (this.deltas.length > this.size) this.deltas.shift();
  }

  /** Observations in the window. */
  get count(): number {
    const last = this.windowCounts();
    return last === null ? 0 : last[last.length - 1];
  }

  /** The q-quantile (0 < q < 1) of the window, or null when it holds no observation. */
  quantile(q: number): number | null {
    const counts = this.windowCounts();
    const bounds = this.previous?.upperBounds;
    if (counts === null || bounds === undefined || bounds.length === 0) return null;
    const total = counts[counts.length - 1];
    if (total === 0) return null;
    const rank = q * total;
    const bucket = counts.findIndex((c) => c >= rank);
    const upper = bounds[bucket];
    // Above the highest finite bound nothing is known but that bound.
    if (upper === Infinity) return bounds.length > 1 ? bounds[bounds.length - 2] : null;
    const lower = bucket === 0 ? 0 : bounds[bucket - 1];
    const below = bucket === 0 ? 0 : counts[bucket - 1];
    const inBucket = counts[bucket] - below;
    return inBucket === 0 ? upper : lower + (upper - lower) * ((rank - below) / inBucket);
  }

  /** Cumulative counts summed over the window (null before the second reading). */
  private windowCounts(): number[] | null {
    if (this.deltas.length === 0) return null;
    const sum = new Array<number>(this.deltas[0].length).fill(0);
    for (const delta of this.deltas) for (let i = 0; i < delta.length; i++) sum[i] += delta[i];
    return sum;
  }
}

function sameBounds(a: CumulativeBuckets, b: CumulativeBuckets): boolean {
  return (
    a.upperBounds.length === b.upperBounds.length && a.upperBounds.every((x, i) => x === b.upperBounds[i])
  );
}
