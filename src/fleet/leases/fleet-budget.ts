import { systemClock, type Clock, type ClockTimer } from '../../pools/clock';
import type { FleetPoolName } from '../redis/fleet-keys';
import type { CreationGate, CreationPurpose, GatedPool } from '../../pools/creation-gate';
import type { FleetMode } from './fleet-mode';
import type { LeaseLedger } from './lease-ledger';
import { localShare } from './local-share';

/** What a budget needs from the replica's coordinator. */
export interface BudgetLink {
  readonly mode: FleetMode;
  readonly ledger: LeaseLedger;
  /** The replica count local shares are based on: the largest seen within a lease TTL. */
  replicasForShare(): number;
  /** A Redis call failed: the replica works from its local share until Redis is back. */
  reportFailure(error: unknown): void;
  /** Redis' books disagree with this replica's: write its holdings back. */
  requestSync(): void;
}

/** While acquires wait for a fleet lease, how often the pool retries them (leases freed elsewhere send no word). */
const DEFAULT_RETRY_MS = 50;

/**
 * One pool's share of the fleet budget on this replica: the pool's CreationGate. Each take is one atomic Redis
 * script (only COLD creations and warm refills take; WARM and DEDICATED hand-overs never reach here), each
 * destroyed client gives its lease back. When Redis is unreachable, takes are decided locally against an equal
 * share of the cap, so serving goes on without risking the upstream's limit.
 */
export class FleetBudget implements CreationGate {
  private heldCount = 0;
  private inflight = 0;
  private onSettled: Array<() => void> = [];
  private blocked = false;
  private pool: GatedPool | null = null;
  private retryTimer: ClockTimer | null = null;

  constructor(
    readonly name: FleetPoolName,
    readonly max: number,
    private readonly link: BudgetLink,
    private readonly clock: Clock = systemClock,
    private readonly retryMs = DEFAULT_RETRY_MS,
  ) {}

  /** Leases this replica holds for the pool (= its live clients when the pool keeps its side of the deal). */
  get held(): number {
    return this.heldCount;
  }

  /** Redis calls sent and not answered yet. */
  get pending(): number {
    return this.inflight;
  }

  attach(pool: GatedPool): void {
    this.pool = pool;
  }

  tryTake(purpose: CreationPurpose): boolean | Promise<boolean> {
    if (this.link.mode !== 'ok') return this.takeLocally(purpose);
    this.inflight++;
    // The asking acquire may not be counted as pending yet: it is waiting at least.
    const waiting = Math.max(1, this.pool?.pendingAcquires() ?? 0);
    return this.link.ledger.take(this.name, this.max, purpose, waiting).then(
      ({ outcome }) => {
        if (outcome === 'granted') this.heldCount++;
        this.settle();
        if (outcome === 'granted') {
          this.blocked = false;
          return true;
        }
        if (outcome === 'stale') {
          this.link.requestSync();
          return this.takeLocally(purpose);
        }
        if (purpose === 'acquire') this.block();
        return false;
      },
      (error: unknown) => {
        this.settle();
        this.link.reportFailure(error);
        return this.takeLocally(purpose);
      },
    );
  }

  release(): void {
    if (this.heldCount === 0) return; // the pool gives back only what it took; nothing to return
    this.heldCount--;
    if (this.link.mode !== 'ok') return;
    this.inflight++;
    this.link.ledger.give(this.name, 1).then(
      (left) => {
        this.settle();
        if (left < 0) this.link.requestSync();
      },
      (error: unknown) => {
        this.settle();
        this.link.reportFailure(error);
      },
    );
  }

  /** Most this replica may hold while deciding locally: its share of the cap. */
  localLimit(): number {
    return localShare(this.max, this.link.replicasForShare());
  }

  /** Acquires on this replica waiting for a fleet lease (what it reports as demand to the others). */
  waitingForLease(): number {
    return this.blocked && this.pool !== null ? this.pool.pendingAcquires() : 0;
  }

  /** Idle clients the pool could close (warm ones, and those of sessions not using them). */
  idleCount(): number {
    return this.pool?.idleCount() ?? 0;
  }

  /** Closes up to `count` idle clients so their leases can go where acquires wait. */
  shed(count: number): number {
    return count > 0 && this.pool !== null ? this.pool.trimIdle(count) : 0;
  }

  /** Leases may be free again (Redis is back): let waiting acquires retry at once. */
  retryWaiting(): void {
    if (this.pool !== null && this.pool.pendingAcquires() > 0) this.pool.wake();
  }

  /** Resolves once no Redis call of this budget is in flight. */
  settled(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.onSettled.push(resolve));
  }

  stop(): void {
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.blocked = false;
  }

  private takeLocally(purpose: CreationPurpose): boolean {
    if (this.heldCount < this.localLimit()) {
      this.heldCount++;
      return true;
    }
    if (purpose === 'acquire') this.block();
    return false;
  }

  private block(): void {
    this.blocked = true;
    if (this.retryTimer !== null || this.link.mode === 'stopped') return;
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      if (this.pool === null || this.pool.pendingAcquires() === 0) {
        this.blocked = false;
        return;
      }
      // A retry that is refused again blocks again, which schedules the next retry.
      this.pool.wake();
    }, this.retryMs);
  }

  private settle(): void {
    this.inflight--;
    if (this.inflight > 0) return;
    const waiting = this.onSettled;
    this.onSettled = [];
    for (const resolve of waiting) resolve();
  }
}
