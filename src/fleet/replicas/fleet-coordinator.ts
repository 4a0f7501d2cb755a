import type { Redis } from 'ioredis';
import { systemClock, type Clock, type ClockTimer } from '../../pools/clock';
import { FleetBudget, type BudgetLink } from '../leases/fleet-budget';
import type { FleetMode } from '../leases/fleet-mode';
import { LeaseLedger, type FleetReading, type PerPool } from '../leases/lease-ledger';
import { LeaseLending } from '../leases/lease-lending';
import { ReplicaCountWindow } from '../leases/replica-count-window';
import { FLEET_POOLS, type FleetKeys, type FleetPoolName } from '../redis/fleet-keys';
import type { FleetLogger } from './fleet-logger';
import { RecoveryHold } from './recovery-hold';
import type { ReplicaSnapshot } from './replica-snapshot';

export interface FleetCoordinatorOptions {
  redis: Redis;
  keys: FleetKeys;
  replicaId: string;
  /** Leases and session records expire this long after the replica's last heartbeat. */
  leaseTtlMs: number;
  /** Heartbeat (and snapshot) period; a fraction of the TTL so one missed beat costs nothing. */
  heartbeatMs: number;
  /** Fleet cap per pool; a pool without one has no fleet budget (its per-process cap applies alone). */
  fleetMax: Partial<PerPool<number>>;
  snapshot: () => ReplicaSnapshot;
  logger: FleetLogger;
  clock?: Clock;
  /** How often a budget's waiting acquires retry their take while blocked by the fleet cap. */
  retryMs?: number;
  /**
   * Least time degraded before trying Redis again; doubled (up to the lease TTL) for each relapse within a minute
   * of recovering, so a slow Redis does not flip the replica between degraded and ok. Default 3 heartbeats.
   */
  recoveryHoldMs?: number;
  /**
   * Hysteresis for lending: acquires borrow beyond the replica's fair share only after waiting this long, and a
   * replica lends its idle clients only after its own demand was quiet this long. Default: one heartbeat.
   */
  lendHoldMs?: number;
}

/** Called after every heartbeat that reached Redis, and after a sync: the replica is known to be in the fleet. */
export type BeatListener = () => Promise<void> | void;

export interface FleetStatus {
  mode: FleetMode;
  /** Replicas with a current heartbeat when Redis was last reachable. */
  replicasLastSeen: number;
  /** Per pool: fleet cap (null = none), leases taken fleet-wide when last seen, held here, and the most this
   * replica may hold while Redis is away (its share of the cap, based on the largest replica count seen within
   * a lease TTL). */
  pools: PerPool<{ max: number | null; leased: number; held: number; localShare: number | null }>;
  /** Why the fleet is degraded (null while ok). */
  reason: string | null;
}

/**
 * This replica's membership of the fleet: registers it, beats its heartbeat (which extends its leases and
 * publishes its snapshot), keeps one FleetBudget per budgeted pool, moves idle leases to where acquires wait,
 * and falls back to local shares when Redis is unreachable, writing its holdings back when Redis returns.
 */
export class FleetCoordinator implements BudgetLink {
  readonly ledger: LeaseLedger;
  readonly budgets: ReadonlyMap<FleetPoolName, FleetBudget>;
  private currentMode: FleetMode = 'syncing';
  /** The state last logged, so each change is logged once. */
  private reported: 'ok' | 'degraded' = 'ok';
  private reason: string | null = null;
  private readonly replicaCounts: ReplicaCountWindow;
  private readonly recoveryHold: RecoveryHold;
  private leased: PerPool<number> = { tts: 0, stt: 0 };
  private syncing: Promise<void> | null = null;
  private beating = false;
  private timer: ClockTimer | null = null;
  private readonly lending: LeaseLending;
  private readonly clock: Clock;
  private readonly beatListeners = new Set<BeatListener>();
  private readonly onClose = (): void => this.reportFailure(new Error('connection to Redis closed'));
  private readonly onReady = (): void => {
    if (this.currentMode === 'degraded' && this.recoveryHold.over(this.clock.now())) void this.sync();
  };

  constructor(private readonly options: FleetCoordinatorOptions) {
    this.clock = options.clock ?? systemClock;
    this.replicaCounts = new ReplicaCountWindow(options.leaseTtlMs);
    this.recoveryHold = new RecoveryHold(
      options.recoveryHoldMs ?? 3 * options.heartbeatMs,
      options.leaseTtlMs,
    );
    // A refused acquire's demand stands a few beats, so a slow beat does not drop it.
    const demandHoldMs = Math.max(3 * options.heartbeatMs, 1000);
    this.ledger = new LeaseLedger(
      options.redis,
      options.keys,
      options.replicaId,
      options.leaseTtlMs,
      demandHoldMs,
    );
    const budgets = new Map<FleetPoolName, FleetBudget>();
    const lendHoldMs = options.lendHoldMs ?? options.heartbeatMs;
    for (const pool of FLEET_POOLS) {
      const max = options.fleetMax[pool];
      if (max !== undefined)
        budgets.set(pool, new FleetBudget(pool, max, this, this.clock, options.retryMs, lendHoldMs));
    }
    this.budgets = budgets;
    this.lending = new LeaseLending(budgets, this.clock, options.heartbeatMs);
  }

  get replicaId(): string {
    return this.options.replicaId;
  }

  get mode(): FleetMode {
    return this.currentMode;
  }

  replicasLastSeen(): number {
    return this.replicaCounts.latest();
  }

  replicasForShare(): number {
    return this.replicaCounts.largest();
  }

  /** Joins the fleet holding nothing; rejects when Redis does not answer (fleet mode cannot start then). */
  async start(): Promise<void> {
    const reading = await this.ledger.sync({ tts: 0, stt: 0 });
    this.replicaCounts.record(reading.replicas, this.clock.now());
    this.leased = reading.leased;
    this.currentMode = 'ok';
    this.options.redis.on('close', this.onClose);
    this.options.redis.on('ready', this.onReady);
    this.schedule();
    this.lending.start();
  }

  /** Leaves the fleet: whatever leases are still registered go at once (call after the pools shut down). */
  async stop(): Promise<void> {
    if (this.currentMode === 'stopped') return;
    const wasReachable = this.currentMode !== 'degraded';
    this.currentMode = 'stopped';
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.options.redis.off('close', this.onClose);
    this.options.redis.off('ready', this.onReady);
    this.lending.stop();
    for (const budget of this.budgets.values()) budget.stop();
    if (wasReachable) await this.ledger.leave().catch(() => undefined); // expiry frees them otherwise
  }

  onBeat(listener: BeatListener): () => void {
    this.beatListeners.add(listener);
    return () => this.beatListeners.delete(listener);
  }

  status(): FleetStatus {
    const pools = {} as FleetStatus['pools'];
    for (const pool of FLEET_POOLS) {
      const budget = this.budgets.get(pool);
      pools[pool] = {
        max: budget?.max ?? null,
        leased: this.leased[pool],
        held: budget?.held ?? 0,
        localShare: budget === undefined ? null : budget.localLimit(),
      };
    }
    return { mode: this.currentMode, replicasLastSeen: this.replicasLastSeen(), pools, reason: this.reason };
  }

  /** The fleet as Redis has it now (throws when Redis is unreachable). */
  read(): Promise<FleetReading> {
    return this.ledger.read();
  }

  reportFailure(error: unknown): void {
    if (this.currentMode === 'stopped') return;
    if (this.currentMode === 'ok') this.currentMode = 'degraded';
    this.lending.forget();
    this.recoveryHold.failed(this.clock.now());
    this.report('degraded', error);
  }

  requestSync(): void {
    if (this.currentMode !== 'stopped') void this.sync();
  }

  /** Runs one heartbeat now (tests and the timer). */
  async beat(): Promise<void> {
    if (this.beating || this.currentMode === 'stopped') return;
    this.beating = true;
    try {
      if (this.currentMode === 'ok') await this.heartbeat();
      // degraded: try to recover once the hold is over; syncing: wait for the sync under way
      else if (this.currentMode === 'syncing' || this.recoveryHold.over(this.clock.now())) await this.sync();
    } finally {
      this.beating = false;
    }
  }

  /**
   * Writes this replica's holdings to Redis, replacing what Redis has for it. New takes are counted locally
   * meanwhile; the write repeats until no holding changed while it was on its way, so Redis ends up agreeing.
   */
  sync(): Promise<void> {
    if (this.syncing !== null) return this.syncing;
    if (this.currentMode === 'stopped') return Promise.resolve();
    this.currentMode = 'syncing';
    this.syncing = this.runSync().finally(() => (this.syncing = null));
    return this.syncing;
  }

  private async runSync(): Promise<void> {
    try {
      await Promise.all([...this.budgets.values()].map((b) => b.settled()));
      let held = this.held();
      let reading = await this.ledger.sync(held);
      while (this.currentMode === 'syncing' && FLEET_POOLS.some((p) => this.held()[p] !== held[p])) {
        held = this.held();
        reading = await this.ledger.sync(held);
      }
      if (this.currentMode !== 'syncing') return; // stopped meanwhile
      this.replicaCounts.record(reading.replicas, this.clock.now());
      this.leased = reading.leased;
      this.currentMode = 'ok';
      this.recoveryHold.recovered(this.clock.now());
      const registered = FLEET_POOLS.map((p) => `${p} ${held[p]}`).join(', ');
      this.report('ok', null, `leases re-registered: ${registered}`);
      for (const budget of this.budgets.values()) budget.retryWaiting();
      await this.notifyBeat();
    } catch (error) {
      if (this.currentMode === 'syncing') this.currentMode = 'degraded';
      this.recoveryHold.failed(this.clock.now());
      this.report('degraded', error);
    }
  }

  private async heartbeat(): Promise<void> {
    const held = this.held();
    const quiet = [...this.budgets.values()].every((b) => b.pending === 0);
    const waiting = { tts: 0, stt: 0 };
    for (const [pool, budget] of this.budgets) waiting[pool] = budget.waitingForLease();
    let reading;
    try {
      reading = await this.ledger.heartbeat(JSON.stringify(this.safeSnapshot()), waiting, {
        tts: this.budgets.get('tts')?.max ?? 0,
        stt: this.budgets.get('stt')?.max ?? 0,
      });
    } catch (error) {
      this.reportFailure(error);
      return;
    }
    if (reading === null) {
      this.requestSync(); // our heartbeat had lapsed: Redis dropped our leases
      return;
    }
    this.replicaCounts.record(reading.replicas, this.clock.now());
    for (const pool of FLEET_POOLS) this.leased[pool] = reading.pools[pool].leased;
    // Ops sent after the heartbeat run after it in Redis, so with none in flight the counts must match.
    if (quiet && FLEET_POOLS.some((p) => reading.pools[p].held !== held[p])) {
      this.requestSync();
      return;
    }
    // Leases follow demand: fair shares first, then idle clients where acquires wait (see LeaseLending).
    this.lending.afterBeat(reading);
    await this.notifyBeat();
  }

  private async notifyBeat(): Promise<void> {
    for (const listener of this.beatListeners) {
      try {
        await listener();
      } catch (error) {
        this.reportFailure(error);
      }
    }
  }

  private held(): PerPool<number> {
    return { tts: this.budgets.get('tts')?.held ?? 0, stt: this.budgets.get('stt')?.held ?? 0 };
  }

  private safeSnapshot(): ReplicaSnapshot | { error: string } {
    try {
      return this.options.snapshot();
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => {
      void this.beat().finally(() => {
        if (this.currentMode !== 'stopped') this.schedule();
      });
    }, this.options.heartbeatMs);
  }

  private report(state: 'ok' | 'degraded', error: unknown, detail?: string): void {
    if (state === 'degraded') this.reason = error instanceof Error ? error.message : String(error);
    else this.reason = null;
    if (state === this.reported) return;
    this.reported = state;
    if (state === 'degraded') {
      const shares = [...this.budgets.values()].map((b) => `${b.name} ${b.localLimit()}`).join(', ');
      this.options.logger.warn(
        `Redis unreachable (${this.reason}): fleet degraded; serving on, creating clients only within this ` +
          `replica's share of the fleet budget (${shares || 'no fleet budget'}; ${this.replicasForShare()} replicas ` +
          `seen within the lease TTL)`,
      );
    } else {
      this.options.logger.log(`Redis reachable again: fleet ok (${detail ?? 'registered'})`);
    }
  }
}
