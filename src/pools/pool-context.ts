import type { Clock } from './clock';
import type { PoolEventHub } from './pool-event-hub';
import type { PoolLifecycle } from './pool-lifecycle';
import type { PoolStatistics } from './pool-statistics';
import type { ResolvedPoolOptions } from './resolve-pool-options';
import type { SlotLedger } from './slot-ledger';

/**
 * What every part of one pool shares, built once by the pool: its options, its clock, the ledger (where every
 * resource is), the published counters, the event hub, and whether it is shut down. Each part keeps the books of
 * its own concern itself (the waiters, the gate's refusals, the session bindings).
 */
export interface PoolContext<T> {
  readonly opts: ResolvedPoolOptions<T>;
  readonly clock: Clock;
  readonly ledger: SlotLedger<T>;
  readonly stats: PoolStatistics;
  readonly events: PoolEventHub;
  readonly life: PoolLifecycle;
}
