import type { Redis } from 'ioredis';
import type { CreationPurpose } from '../../pools/creation-gate';
import { FLEET_POOLS, type FleetKeys, type FleetPoolName } from '../redis/fleet-keys';
import {
  GIVE_LEASES,
  HEARTBEAT,
  LEAVE_FLEET,
  READ_FLEET,
  SYNC_LEASES,
  TAKE_GRANTED,
  TAKE_LEASE,
  TAKE_REFUSED,
} from '../redis/lease-scripts';

export type TakeOutcome = 'granted' | 'refused' | 'stale';

export type PerPool<T> = Record<FleetPoolName, T>;

export interface HeartbeatReading {
  /** Replicas whose heartbeat is current, this one included. */
  replicas: number;
  /**
   * Per pool: leases in the fleet, acquires waiting on other replicas, leases this replica holds, and how many of
   * those beyond its fair share replicas below theirs are waiting for (to be given back).
   */
  pools: PerPool<{ leased: number; waitingElsewhere: number; held: number; owed: number }>;
}

export interface FleetReading {
  /** Redis' clock, ms. */
  now: number;
  leased: PerPool<number>;
  replicas: Array<{ id: string; snapshotJson: string; publishedAt: number }>;
}

const perPool = <T>(read: (pool: FleetPoolName, index: number) => T): PerPool<T> =>
  Object.fromEntries(FLEET_POOLS.map((pool, i) => [pool, read(pool, i)])) as PerPool<T>;

/**
 * One replica's view of the fleet's lease books in Redis: every operation is one atomic script (one round trip).
 * Holds no state of its own; FleetBudget and FleetCoordinator decide when to call what.
 */
export class LeaseLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keys: FleetKeys,
    readonly replicaId: string,
    private readonly leaseTtlMs: number,
    /** How long a refused acquire's demand stands without a heartbeat renewing it. */
    private readonly demandHoldMs: number,
  ) {}

  async take(
    pool: FleetPoolName,
    max: number,
    purpose: CreationPurpose,
    waiting: number,
    /** This replica's acquires have waited for at least the lending hold: it may borrow beyond its share. */
    persistent = false,
  ): Promise<{ outcome: TakeOutcome; leased: number }> {
    const [status, leased] = await TAKE_LEASE.run(
      this.redis,
      [this.keys.heartbeats, this.keys.leases(pool), this.keys.demand(pool)],
      [this.replicaId, max, purpose, waiting, this.demandHoldMs, persistent ? 1 : 0],
    );
    const outcome = status === TAKE_GRANTED ? 'granted' : status === TAKE_REFUSED ? 'refused' : 'stale';
    return { outcome, leased };
  }

  /** Returns the count this replica holds afterwards; negative means the books disagree (sync). */
  give(pool: FleetPoolName, count: number): Promise<number> {
    return GIVE_LEASES.run(this.redis, [this.keys.leases(pool)], [this.replicaId, count]);
  }

  /** Null when this replica's heartbeat had lapsed: its leases are gone from Redis and it must sync. */
  /** `max`: each pool's fleet cap (0: none), which fair shares are computed from. */
  async heartbeat(
    snapshotJson: string,
    waiting: PerPool<number>,
    max: PerPool<number> = { tts: 0, stt: 0 },
  ): Promise<HeartbeatReading | null> {
    const keys = [this.keys.heartbeats, this.keys.replica(this.replicaId)];
    for (const pool of FLEET_POOLS) keys.push(this.keys.leases(pool), this.keys.demand(pool));
    const args = [this.replicaId, this.leaseTtlMs, snapshotJson, this.demandHoldMs];
    for (const pool of FLEET_POOLS) args.push(waiting[pool], max[pool]);
    const reply = await HEARTBEAT.run(this.redis, keys, args);
    if (reply[0] !== 1) return null;
    return {
      replicas: reply[1],
      pools: perPool((_, i) => ({
        leased: reply[2 + 4 * i],
        waitingElsewhere: reply[3 + 4 * i],
        held: reply[4 + 4 * i],
        owed: reply[5 + 4 * i],
      })),
    };
  }

  /** Registers this replica as holding exactly `held` leases per pool; returns live replicas and totals. */
  async sync(held: PerPool<number>): Promise<{ replicas: number; leased: PerPool<number> }> {
    const reply = await SYNC_LEASES.run(
      this.redis,
      [this.keys.heartbeats, ...FLEET_POOLS.map((pool) => this.keys.leases(pool))],
      [this.replicaId, this.leaseTtlMs, ...FLEET_POOLS.map((pool) => held[pool])],
    );
    return { replicas: reply[0], leased: perPool((_, i) => reply[1 + i]) };
  }

  /** Gives back everything this replica holds and removes it from the fleet at once. */
  async leave(): Promise<void> {
    const perPoolKeys = FLEET_POOLS.flatMap((pool) => [this.keys.leases(pool), this.keys.demand(pool)]);
    await LEAVE_FLEET.run(
      this.redis,
      [this.keys.heartbeats, this.keys.replica(this.replicaId), ...perPoolKeys],
      [this.replicaId],
    );
  }

  async read(): Promise<FleetReading> {
    const reply = await READ_FLEET.run(
      this.redis,
      [this.keys.heartbeats, ...FLEET_POOLS.map((pool) => this.keys.leases(pool))],
      [this.keys.replicaPrefix],
    );
    const pools = Number(reply[1]);
    const replicas: FleetReading['replicas'] = [];
    for (let i = 2 + pools; i + 2 < reply.length; i += 3) {
      replicas.push({
        id: String(reply[i]),
        snapshotJson: String(reply[i + 1]),
        publishedAt: Number(reply[i + 2]),
      });
    }
    return { now: Number(reply[0]), leased: perPool((_, i) => Number(reply[2 + i])), replicas };
  }
}
