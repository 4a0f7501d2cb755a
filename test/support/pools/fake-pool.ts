import type { PoolMetrics, PoolSnapshot } from '../../../src/pools/pool-snapshot';
import type { ResourcePool, SessionAllocation } from '../../../src/pools/resource-pool';

export interface SnapshotPatch extends Partial<Omit<PoolSnapshot, 'metrics' | 'factory'>> {
  metrics?: Partial<PoolMetrics>;
  factory?: Partial<PoolSnapshot['factory']>;
}

/** A healthy, prepared pool's snapshot, with `patch` applied. */
export function poolSnapshot(name: string, patch: SnapshotPatch = {}): PoolSnapshot {
  const { metrics, factory, ...top } = patch;
  return {
    name,
    ready: true,
    warmPoolSize: 2,
    warmPoolTarget: 2,
    warmPoolMax: 4,
    maxSize: 64,
    size: 2,
    inUse: 0,
    pendingAcquires: 0,
    sessionAwareness: true,
    activeSessions: 0,
    backgroundWarmup: true,
    ...top,
    factory: { consecutiveFailures: 0, backoffRemainingMs: 0, lastError: null, ...factory },
    metrics: {
      allocationsTotal: 0,
      allocationsDedicated: 0,
      allocationsWarm: 0,
      allocationsCold: 0,
      hitRate: null,
      warmupCycles: 0,
      warmupFailures: 0,
      factoryFailures: 0,
      resourcesCreated: 2,
      resourcesDestroyed: 0,
      resourcesTrimmed: 0,
      staleSessionsEvicted: 0,
      acquireTimeouts: 0,
      timestamp: 1_701_705_600_123,
      ...metrics,
    },
  };
}

/**
 * A ResourcePool whose snapshot the test controls (`pool.update({ ready: false })`). It hands out nothing: the
 * operational shell only reads snapshots.
 */
export class FakePool implements ResourcePool<never> {
  private state: PoolSnapshot;
  shutdownCalls = 0;

  constructor(
    readonly name: string,
    patch: SnapshotPatch = {},
  ) {
    this.state = poolSnapshot(name, patch);
  }

  update(patch: SnapshotPatch): void {
    const { metrics, factory, ...top } = patch;
    this.state = {
      ...this.state,
      ...top,
      factory: { ...this.state.factory, ...factory },
      metrics: { ...this.state.metrics, ...metrics },
    };
  }

  snapshot(): PoolSnapshot {
    return structuredClone(this.state);
  }

  prepare(): Promise<void> {
    return Promise.resolve();
  }

  acquire(): Promise<never> {
    return Promise.reject(new Error('FakePool hands out no resources'));
  }

  release(): Promise<void> {
    return Promise.resolve();
  }

  acquireForSession(): Promise<SessionAllocation<never>> {
    return Promise.reject(new Error('FakePool hands out no resources'));
  }

  sessionIdle(): Promise<boolean> {
    return Promise.resolve(false);
  }

  releaseForSession(): Promise<boolean> {
    return Promise.resolve(false);
  }

  onEvent(): () => void {
    return () => undefined;
  }

  shutdown(): Promise<void> {
    this.shutdownCalls += 1;
    return Promise.resolve();
  }
}

/** What POOL_REGISTRY holds, built from fake pools (default: healthy `tts` and `stt`). */
export function fakePoolRegistry(
  pools: FakePool[] = [new FakePool('tts'), new FakePool('stt')],
): Map<string, FakePool> {
  return new Map(pools.map((pool) => [pool.name, pool]));
}
