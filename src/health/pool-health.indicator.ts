import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorFunction } from '@nestjs/terminus';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { type PoolRegistry, POOL_REGISTRY } from '../speech-pools/pool-tokens';
import type { PoolSnapshot } from '../pools/pool-snapshot';
import type { ResourcePool } from '../pools/resource-pool';

/** Why a pool whose snapshot says not ready is not ready, for the operator reading /health/ready. */
function notReadyReason(snapshot: PoolSnapshot): string {
  const { consecutiveFailures, lastError } = snapshot.factory;
  if (consecutiveFailures > 0) {
    return `cannot create clients (${consecutiveFailures} failures in a row${lastError ? `: ${lastError}` : ''})`;
  }
  return 'not ready (still preparing, or shut down)';
}

/**
 * Readiness, one Terminus entry per pool (keyed by pool name): up when the pool's snapshot says ready, down
 * otherwise, and down for every pool from the first moment of shutdown so traffic stops before sockets close.
 */
@Injectable()
export class PoolHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    @Inject(POOL_REGISTRY) private readonly pools: PoolRegistry,
  ) {}

  /** One check per registered pool; with no pools at all, a single failing `pools` entry. */
  checks(): HealthIndicatorFunction[] {
    if (this.pools.size === 0)
      return [() => this.indicators.check('pools').down({ reason: 'no pools registered' })];
    return [...this.pools].map(
      ([name, pool]) =>
        () =>
          this.check(name, pool),
    );
  }

  check(name: string, pool: ResourcePool<unknown>) {
    const session = this.indicators.check(name);
    let snapshot: PoolSnapshot;
    try {
      snapshot = pool.snapshot();
    } catch (error) {
      return session.down({ reason: `snapshot failed: ${(error as Error).message}` });
    }
    const details = {
      ready: snapshot.ready,
      warmPoolSize: snapshot.warmPoolSize,
      warmPoolTarget: snapshot.warmPoolTarget,
      size: snapshot.size,
      maxSize: snapshot.maxSize,
      inUse: snapshot.inUse,
      pendingAcquires: snapshot.pendingAcquires,
      factory: snapshot.factory,
    };
    if (this.shutdown.isShuttingDown) return session.down({ ...details, reason: 'shutting down' });
    if (!snapshot.ready) return session.down({ ...details, reason: notReadyReason(snapshot) });
    return session.up(details);
  }
}
