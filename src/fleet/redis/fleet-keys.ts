/** The pools a fleet budgets, in a fixed order (scripts take one key per pool in this order). */
export const FLEET_POOLS = ['tts', 'stt'] as const;
export type FleetPoolName = (typeof FLEET_POOLS)[number];

/**
 * Names of everything the fleet keeps in Redis, under one prefix so several fleets (or tests) can share a server.
 * Nothing here needs to survive a Redis restart: the replicas write it all again.
 */
export class FleetKeys {
  constructor(readonly prefix = 'warmline:') {}

  /** Sorted set: replica id -> the time (ms, Redis clock) its leases and liveness expire. */
  get heartbeats(): string {
    return `${this.prefix}heartbeats`;
  }

  /** Hash: replica id -> leases it holds for `pool`. */
  leases(pool: FleetPoolName): string {
    return `${this.prefix}leases:${pool}`;
  }

  /** Hash: replica id -> acquires waiting for a lease of `pool` there (expires with the replica's heartbeats). */
  demand(pool: FleetPoolName): string {
    return `${this.prefix}demand:${pool}`;
  }

  /** Prefix of the per-replica snapshot hashes (`<prefix>replica:<id>`: `json`, `at`). */
  get replicaPrefix(): string {
    return `${this.prefix}replica:`;
  }

  replica(id: string): string {
    return `${this.replicaPrefix}${id}`;
  }

  /** Hash of one voice session: `owner` (replica id), `key` (hash of the API key it was opened with). */
  session(id: string): string {
    return `${this.prefix}session:${id}`;
  }
}
