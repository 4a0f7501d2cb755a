import type { PoolSnapshot } from '../../pools/pool-snapshot';

/** What a replica publishes about itself every heartbeat (and GET /api/v1/fleet shows per replica). */
export interface ReplicaSnapshot {
  ready: boolean;
  /** Voice sessions connected to this replica. */
  sessions: number;
  pools: Record<string, PoolSnapshot>;
}
