import type { AllocationTier } from './allocation-tier';
import type { PoolEvent } from './pool-observer';
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

/** The public API shared by WarmableResourcePool and OnDemandResourcePool. */
export interface ResourcePool<T> {
  readonly name: string;
  prepare(): Promise<void>;
  acquire(opts?: AcquireOptions): Promise<T>;
  release(resource: T | null | undefined): Promise<void>;
  acquireForSession(sessionId: string | null, opts?: AcquireOptions): Promise<SessionAllocation<T>>;
  /**
   * The session keeps its resource (DEDICATED next time) but is not using it now, so the pool may lend it to
   * others meanwhile. Resolves true when the session still holds it afterwards.
   */
  sessionIdle(sessionId: string | null): Promise<boolean>;
  releaseForSession(sessionId: string | null, resource?: T): Promise<boolean>;
  snapshot(): PoolSnapshot;
  shutdown(): Promise<void>;
  /**
   * Calls `listener` synchronously for every pool event (after the constructor's observer), e.g. `waiter-queued`
   * the moment an acquire starts waiting at the cap. Returns an unsubscribe function. Listeners must not throw.
   */
  onEvent(listener: (event: PoolEvent) => void): () => void;
}
