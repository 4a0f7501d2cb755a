import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { createPoolEventLogger } from '../logging/pool-event-logger';
import { ROOT_LOGGER } from '../logging/root-logger';
import type { PoolObserver } from '../pools/pool-observer';
import { AllocationLatencyMetric } from './allocation-latency.metric';

/**
 * Builds the observer a pool is constructed with: allocation latency into the histogram, and log lines for tier
 * allocations (DEBUG) and pool events. Give it to SpeechPoolsModule as `observerFor: (pool) => observers.forPool(pool)`.
 */
@Injectable()
export class PoolObserverFactory {
  private readonly logger: Logger;

  constructor(
    private readonly latency: AllocationLatencyMetric,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ context: 'Pools' });
  }

  forPool(pool: string): PoolObserver {
    const record = this.latency.recorderFor(pool);
    const log = createPoolEventLogger(pool, this.logger);
    return {
      allocated: (tier, latencyMs, sessionId) => {
        try {
          record(tier, latencyMs);
        } catch {
          // Observers run inside the pool's acquire path and must never throw.
        }
        log.allocated?.(tier, latencyMs, sessionId);
      },
      event: (event) => log.event?.(event),
    };
  }
}
