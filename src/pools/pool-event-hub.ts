import type { AllocationTier } from './allocation-tier';
import type { PoolEvent, PoolObserver } from './pool-observer';

/**
 * Delivers a pool's reports: allocations to the observer, events to the observer and then to every listener.
 * Reporting never breaks the pool: whatever a hook throws is swallowed here.
 */
export class PoolEventHub {
  private readonly listeners = new Set<(event: PoolEvent) => void>();
  private readonly onAllocated: NonNullable<PoolObserver['allocated']> | null;

  constructor(private readonly observer: PoolObserver | null) {
    this.onAllocated = observer?.allocated?.bind(observer) ?? null;
  }

  subscribe(listener: (event: PoolEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  allocated(tier: AllocationTier, latencyMs: number, sessionId: string | null): void {
    const onAllocated = this.onAllocated;
    if (onAllocated === null) return;
    try {
      onAllocated(tier, latencyMs, sessionId);
    } catch {
      // An observer must not break allocation (its contract says it does not throw).
    }
  }

  emit(event: PoolEvent): void {
    try {
      this.observer?.event?.(event);
    } catch {
      // Same as above: reporting must not break the pool.
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the pool and the other listeners go on.
      }
    }
  }
}
