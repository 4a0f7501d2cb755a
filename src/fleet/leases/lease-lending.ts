import type { Clock, ClockTimer } from '../../pools/clock';
import type { FleetPoolName } from '../redis/fleet-keys';
import type { FleetBudget } from './fleet-budget';
import type { HeartbeatReading } from './lease-ledger';

/** How often idle clients are checked for lending between heartbeats (a fraction of a heartbeat). */
const TICKS_PER_HEARTBEAT = 4;

/**
 * Where this replica's leases go when others need them, decided from each heartbeat's reading:
 * - Fair share first: leases held beyond the replica's share that replicas below theirs wait for are given back
 *   (idle clients at once, the rest as they come free: FleetBudget.owe).
 * - Then lending: at the fleet cap, with acquires waiting elsewhere, idle clients are closed so their leases go
 *   there, but only once nobody on this replica has been served or waited for the lending hold. A replica whose
 *   own demand is active keeps its clients, so its warm clients follow its demand and are never shed to be
 *   created again a moment later (each such cycle costs a connection set-up on both sides).
 * Between heartbeats a tick re-checks quietness, so a replica lends as soon as its hold is over rather than at
 * the next heartbeat; what it may lend is still bounded by the last reading.
 */
export class LeaseLending {
  private readonly wanted = new Map<FleetPoolName, number>();
  private timer: ClockTimer | null = null;
  private running = false;

  constructor(
    private readonly budgets: ReadonlyMap<FleetPoolName, FleetBudget>,
    private readonly clock: Clock,
    private readonly heartbeatMs: number,
  ) {}

  start(): void {
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.wanted.clear();
  }

  /** The fleet as a heartbeat read it: what is owed, and how many idle clients acquires elsewhere could use. */
  afterBeat(reading: HeartbeatReading): void {
    for (const [pool, budget] of this.budgets) {
      const { leased, waitingElsewhere, owed } = reading.pools[pool];
      budget.observe();
      budget.owe(owed);
      this.wanted.set(pool, owed === 0 && leased >= budget.max ? waitingElsewhere : 0);
      this.lend(pool, budget);
    }
  }

  /** Redis is away: nothing is lent on a stale reading. */
  forget(): void {
    this.wanted.clear();
  }

  /** One check between heartbeats (the timer's; public for tests). */
  tick(): void {
    for (const [pool, budget] of this.budgets) {
      budget.observe();
      this.lend(pool, budget);
    }
  }

  private lend(pool: FleetPoolName, budget: FleetBudget): void {
    const wanted = this.wanted.get(pool) ?? 0;
    if (wanted === 0 || !budget.quiet()) return;
    this.wanted.set(pool, wanted - budget.shed(Math.min(budget.idleCount(), wanted)));
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = null;
        this.tick();
        this.schedule();
      },
      Math.max(1, Math.floor(this.heartbeatMs / TICKS_PER_HEARTBEAT)),
    );
  }
}
