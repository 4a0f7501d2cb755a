import { AllocationTier } from './allocation-tier';
import type { PoolMetrics } from './pool-snapshot';

/** The counters a pool reports over its lifetime; resource creation and destruction are the ledger's books. */
export class PoolStatistics {
  allocationsDedicated = 0;
  allocationsWarm = 0;
  allocationsCold = 0;
  /** Maintenance runs (reported as `warmupCycles`, the published name). */
  maintenanceCycles = 0;
  warmupFailures = 0;
  factoryFailures = 0;
  /** Session resources the idle policy returned to the warm stack. */
  staleSessionsEvicted = 0;
  acquireTimeouts = 0;
  /** Idle resources closed: warm extras unused for trimIdleMs, and whatever trimIdle() closed. */
  resourcesTrimmed = 0;

  get allocationsTotal(): number {
    return this.allocationsDedicated + this.allocationsWarm + this.allocationsCold;
  }

  countAllocation(tier: AllocationTier): void {
    if (tier === AllocationTier.WARM) this.allocationsWarm++;
    else if (tier === AllocationTier.DEDICATED) this.allocationsDedicated++;
    else this.allocationsCold++;
  }

  /** (dedicated + warm) / total; null before the first allocation (no hits and no misses is not a 0 % rate). */
  hitRate(): number | null {
    const total = this.allocationsTotal;
    return total === 0 ? null : (this.allocationsDedicated + this.allocationsWarm) / total;
  }

  metrics(books: { created: number; destroyed: number }, now: number): PoolMetrics {
    return {
      allocationsTotal: this.allocationsTotal,
      allocationsDedicated: this.allocationsDedicated,
      allocationsWarm: this.allocationsWarm,
      allocationsCold: this.allocationsCold,
      hitRate: this.hitRate(),
      warmupCycles: this.maintenanceCycles,
      warmupFailures: this.warmupFailures,
      factoryFailures: this.factoryFailures,
      resourcesCreated: books.created,
      resourcesDestroyed: books.destroyed,
      resourcesTrimmed: this.resourcesTrimmed,
      staleSessionsEvicted: this.staleSessionsEvicted,
      acquireTimeouts: this.acquireTimeouts,
      timestamp: Math.round(now),
    };
  }
}
