import { Global, Module } from '@nestjs/common';
import { AllocationLatencyMetric } from './allocation-latency.metric';
import { METRICS_REGISTRY, createMetricsRegistry } from './metrics-registry';
import { MetricsController } from './metrics.controller';
import { PoolObserverFactory } from './pool-observer.factory';
import { PoolSnapshotMetrics } from './pool-snapshot-metrics';

/**
 * Global so SpeechPoolsModule's options can inject PoolObserverFactory and the gateway METRICS_REGISTRY. Requires POOL_REGISTRY
 * (PoolSnapshotMetrics reads the pools at scrape time); PoolObserverFactory does not, so pools can be built with it.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    { provide: METRICS_REGISTRY, useFactory: createMetricsRegistry },
    AllocationLatencyMetric,
    PoolObserverFactory,
    PoolSnapshotMetrics,
  ],
  exports: [METRICS_REGISTRY, PoolObserverFactory],
})
export class MetricsModule {}
