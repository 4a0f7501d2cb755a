import type { PoolSnapshot } from '../../pools/pool-snapshot';
import type { PerPool } from '../leases/lease-ledger';

export interface FleetReplicaView {
  id: string;
  ready: boolean;
  /** Since the replica's last heartbeat (0 for the replica answering). */
  lastSeenMs: number;
  sessions: number;
  pools: Record<string, PoolSnapshot>;
}

/** GET /api/v1/fleet. */
export interface FleetView {
  replicas: FleetReplicaView[];
  /** Per pool: the fleet cap (null = none) and the leases taken across the fleet. */
  budget: PerPool<{ max: number | null; leased: number }>;
  /** `degraded` while this replica cannot reach Redis (or has not yet written its holdings back). */
  redis: 'ok' | 'degraded';
}
