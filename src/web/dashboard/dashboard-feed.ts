import type { PoolSnapshot } from '../../pools/pool-snapshot';
import { CumulativeHistogramWindow, type CumulativeBuckets } from './cumulative-histogram-window';
import type {
  DashboardFleet,
  DashboardFrame,
  DashboardHistory,
  DashboardPoint,
  TierRates,
} from './dashboard-frame';

export interface DashboardFeedOptions {
  intervalMs: number;
  historyMs: number;
  latencyWindowMs: number;
}

interface Counters {
  at: number;
  dedicated: number;
  warm: number;
  cold: number;
}

const NO_ALLOCATIONS: TierRates = { dedicated: 0, warm: 0, cold: 0 };

/**
 * Turns what the pools and the first-byte histogram report at each refresh into dashboard frames: allocation
 * rates are the differences of the pools' lifetime tier counters divided by the time between readings; first-byte
 * percentiles come from the histogram's trailing window. Keeps the chart history for viewers that connect later.
 * Pure: time is whatever the caller passes.
 */
export class DashboardFeed {
  private readonly previous = new Map<string, Counters>();
  private readonly points: DashboardPoint[] = [];
  private readonly maxPoints: number;
  private readonly firstByte: CumulativeHistogramWindow;
  private latest: DashboardFrame | null = null;

  constructor(private readonly options: DashboardFeedOptions) {
    this.maxPoints = Math.max(1, Math.ceil(options.historyMs / options.intervalMs));
    this.firstByte = new CumulativeHistogramWindow(
      Math.max(1, Math.round(options.latencyWindowMs / options.intervalMs)),
    );
  }

  /** One refresh: `firstByteSeconds` is the histogram's reading (null when no voice gateway records it). */
  tick(
    now: number,
    pools: Record<string, PoolSnapshot>,
    firstByteSeconds: CumulativeBuckets | null,
    fleet?: DashboardFleet,
  ): DashboardFrame {
    const allocations: Record<string, TierRates> = {};
    for (const [name, snapshot] of Object.entries(pools)) allocations[name] = this.rates(name, now, snapshot);
    if (firstByteSeconds !== null) this.firstByte.push(firstByteSeconds);
    const point: DashboardPoint = { at: now, allocations, firstByteMs: this.firstByteQuantiles() };
    this.points.push(point);
    if (this.points.length > this.maxPoints) this.points.shift();
    this.latest = { point, pools, intervalMs: this.options.intervalMs };
    if (fleet !== undefined) this.latest.fleet = fleet;
    return this.latest;
  }

  /** The latest frame (null before the first tick). */
  get current(): DashboardFrame | null {
    return this.latest;
  }

  history(): DashboardHistory {
    return {
      points: [...this.points],
      intervalMs: this.options.intervalMs,
      historyMs: this.options.historyMs,
      latencyWindowMs: this.options.latencyWindowMs,
    };
  }

  private rates(name: string, now: number, snapshot: PoolSnapshot): TierRates {
    const m = snapshot.metrics;
    const counters: Counters = {
      at: now,
      dedicated: m.allocationsDedicated,
      warm: m.allocationsWarm,
      cold: m.allocationsCold,
    };
    const before = this.previous.get(name);
    this.previous.set(name, counters);
    const seconds = before === undefined ? 0 : (now - before.at) / 1000;
    if (before === undefined || seconds <= 0) return { ...NO_ALLOCATIONS };
    // A counter that went down belongs to a new pool: nothing is known about the interval.
    const rate = (a: number, b: number): number => Math.max(0, a - b) / seconds;
    return {
      dedicated: rate(counters.dedicated, before.dedicated),
      warm: rate(counters.warm, before.warm),
      cold: rate(counters.cold, before.cold),
    };
  }

  private firstByteQuantiles(): DashboardPoint['firstByteMs'] {
    const p50 = this.firstByte.quantile(0.5);
    const p95 = this.firstByte.quantile(0.95);
    const p99 = this.firstByte.quantile(0.99);
    if (p50 === null || p95 === null || p99 === null) return null;
    const ms = (seconds: number): number => Math.round(seconds * 1e5) / 100;
    return { p50: ms(p50), p95: ms(p95), p99: ms(p99), count: this.firstByte.count };
  }
}
