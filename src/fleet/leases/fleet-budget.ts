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

/** How long demand must last before it borrows, and quiet before idle clients are lent (default: a heartbeat). */
const DEFAULT_LEND_HOLD_MS = 1_000;

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
  /** While blocked: a take is on its way to Redis for the queue (the others wait for its answer). */
  private probing = false;
  private probedAt = -Infinity;
  private pool: GatedPool | null = null;
  private retryTimer: ClockTimer | null = null;
  /** Since when acquires have been asking for leases without a pause (null: none waiting). */
  private demandSince: number | null = null;
  /** Last time the pool served anyone or had anyone waiting, as seen by observe(). */
  private activeAt = -Infinity;
  private allocationsSeen = 0;
  /** Leases to give back as clients come free: replicas below their fair share wait for them. */
  private owedCount = 0;

  constructor(
    readonly name: FleetPoolName,
    readonly max: number,
    private readonly link: BudgetLink,
    private readonly clock: Clock = systemClock,
    private readonly retryMs = DEFAULT_RETRY_MS,
    /** Hysteresis: demand borrows beyond the fair share, and idle clients are lent, only after this long. */
    private readonly lendHoldMs = DEFAULT_LEND_HOLD_MS,
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
    // While blocked one take asks Redis for the whole queue: N queued acquires would otherwise send N scripts
    // every retry, which costs Redis and this process CPU and wins nothing (the answer is the same for all).
    // And at most one per retry period: releases and session ends wake the queue far more often than that.
    const now = this.clock.now();
    if (this.blocked && (this.probing || now - this.probedAt < this.retryMs)) {
      if (purpose === 'acquire') this.block(); // the retry timer asks again
      return false;
    }
    const probe = this.blocked;
    if (probe) {
      this.probing = true;
      this.probedAt = now;
    }
    this.inflight++;
    // The asking acquire may not be counted as pending yet: it is waiting at least.
    const waiting = Math.max(1, this.pool?.pendingAcquires() ?? 0);
    if (purpose === 'acquire' && this.demandSince === null) this.demandSince = now;
    const persistent = this.demandSince !== null && now - this.demandSince >= this.lendHoldMs;
    return this.link.ledger.take(this.name, this.max, purpose, waiting, persistent).then(
      ({ outcome }) => {
        if (outcome === 'granted') this.heldCount++;
        if (probe) this.probing = false;
        this.settle();
        if (outcome === 'granted') {
          this.blocked = false;
          // The rest of the queue waited on this probe: leases are free again, so let it ask now.
          if (probe) queueMicrotask(() => this.pool?.wake());
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
        if (probe) this.probing = false;
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

  /**
   * Called with every heartbeat: notes whether the pool served anyone since the last one, or has anyone waiting
   * or being served now (what quiet() reads), and forgets a demand that has ended.
   */
  observe(): void {
    if (this.pool === null) return;
    const allocations = this.pool.allocations();
    if (allocations !== this.allocationsSeen || this.pool.busy() > 0) this.activeAt = this.clock.now();
    this.allocationsSeen = allocations;
    if (this.pool.pendingAcquires() === 0) this.demandSince = null;
  }

  /** Nobody has been served or waited here for the lending hold: its idle clients are not needed locally. */
  quiet(): boolean {
    if (this.pool === null || this.pool.busy() > 0) return false;
    return this.clock.now() - this.activeAt >= this.lendHoldMs;
  }

  /**
   * This replica holds `count` leases beyond its fair share that replicas below theirs wait for: idle clients go
   * at once, and the rest as callers and sessions give clients back (see reclaim()). Replaces the previous count.
   */
  owe(count: number): void {
    this.owedCount = Math.max(0, count);
    if (this.owedCount > 0) this.owedCount -= this.shed(Math.min(this.idleCount(), this.owedCount));
  }

  /** Leases still owed (tests, snapshots). */
  get owed(): number {
    return this.owedCount;
  }

  /** The pool asks when a client comes back: true closes it, so its lease goes to a replica that is owed it. */
  reclaim(): boolean {
    if (this.owedCount === 0 || this.link.mode !== 'ok') return false;
    this.owedCount--;
    return true;
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
    this.probing = false;
    this.owedCount = 0;
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
    if (!this.blocked) this.probedAt = this.clock.now(); // the refused take was the last ask
    this.blocked = true;
    if (this.retryTimer !== null || this.link.mode === 'stopped') return;
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      if (this.pool === null || this.pool.pendingAcquires() === 0) {
        this.blocked = false;
        this.demandSince = null;
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
