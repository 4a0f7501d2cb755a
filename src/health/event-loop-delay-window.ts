/** The part of Node's `IntervalHistogram` (perf_hooks.monitorEventLoopDelay) used here; values in ns. */
export interface DelayHistogram {
  readonly max: number;
  percentile(p: number): number;
  reset(): void;
}

export interface DelayWindowStats {
  p99Ms: number;
  maxMs: number;
}

const nsToMs = (ns: number): number => Math.round(ns / 1e4) / 100;

/**
 * Event-loop delay over fixed windows. Judging the last complete window (rather than all time, or since the last
 * probe) keeps one slow start-up or a single GC pause from failing liveness forever, yet notices a loop that
 * stays blocked.
 */
export class EventLoopDelayWindow {
  private last: DelayWindowStats | null = null;

  constructor(private readonly histogram: DelayHistogram) {}

  /** Closes the current window. */
  rotate(): void {
    this.last = { p99Ms: nsToMs(this.histogram.percentile(99)), maxMs: nsToMs(this.histogram.max) };
    this.histogram.reset();
  }

  /** The last complete window; null until one has completed. */
  get lastWindow(): DelayWindowStats | null {
    return this.last;
  }
}
