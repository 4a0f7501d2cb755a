import type { AllocationTier } from './allocation-tier';
import type { PoolSnapshot } from './pool-snapshot';

export interface AcquireOptions {
  /** Overrides the pool's acquireTimeoutMs for this call. */
  timeoutMs?: number;
  /** Aborting cancels a wait (rejects with the signal's reason); a resource already handed over is not affected. */
  signal?: AbortSignal;
}

export interface SessionAllocation<T> {
  resource: T;
  tier: AllocationTier;
}

/** The public API shared by WarmableResourcePool and OnDemandResourcePool (CONTRACT §3). */
export interface ResourcePool<T> {
  readonly name: string;
  prepare(): Promise<void>;
  acquire(opts?: AcquireOptions): Promise<T>;
  release(resource: T | null | undefined): Promise<void>;
  acquireForSession(sessionId: string | null, opts?: AcquireOptions): Promise<SessionAllocation<T>>;
  releaseForSession(sessionId: string | null, resource?: T): Promise<boolean>;
  snapshot(): PoolSnapshot;
  shutdown(): Promise<void>;
}
