import { Inject, Injectable } from '@nestjs/common';
import { Histogram, type Registry } from 'prom-client';
import { AllocationTier } from '../pools/allocation-tier';
import { METRICS_REGISTRY } from './metrics-registry';

/** Seconds. Sub-millisecond for DEDICATED/WARM, ~50-500 ms for COLD, up to the acquire timeout when waiting. */
export const ALLOCATION_LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

export type AllocationRecorder = (tier: AllocationTier, latencyMs: number) => void;

/** `warmline_pool_allocation_duration_seconds{pool,tier}`, fed by the pools' observers. */
@Injectable()
export class AllocationLatencyMetric {
  private readonly histogram: Histogram<'pool' | 'tier'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.histogram = new Histogram({
      name: 'warmline_pool_allocation_duration_seconds',
      help: 'Time from an acquire call to the hand-over of a client, by the tier it came from',
      labelNames: ['pool', 'tier'],
      buckets: ALLOCATION_LATENCY_BUCKETS,
      registers: [registry],
    });
  }

  /**
   * A hot-path recorder for one pool: label children are bound once, and every tier's series exists (at zero)
   * from the start so dashboards and rate() see it before the first allocation.
   */
  recorderFor(pool: string): AllocationRecorder {
    const byTier = new Map(
      Object.values(AllocationTier).map((tier) => {
        this.histogram.zero({ pool, tier });
        return [tier, this.histogram.labels({ pool, tier })] as const;
      }),
    );
    return (tier, latencyMs) => {
      // prom-client throws on NaN; a bad measurement is dropped, never thrown into the pool.
      if (!Number.isFinite(latencyMs) || latencyMs < 0) return;
      byTier.get(tier)?.observe(latencyMs / 1000);
    };
  }
}
