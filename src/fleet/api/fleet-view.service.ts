import { Injectable } from '@nestjs/common';
import type { FleetReading } from '../leases/lease-ledger';
import { FLEET_POOLS } from '../redis/fleet-keys';
import { FleetCoordinator } from '../replicas/fleet-coordinator';
import { ReplicaSnapshotSource } from '../replicas/replica-snapshot-source';
import type { ReplicaSnapshot } from '../replicas/replica-snapshot';
import type { FleetReplicaView, FleetView } from './fleet-view';

function parseSnapshot(json: string): Partial<ReplicaSnapshot> {
  if (json === '') return {};
  try {
    return JSON.parse(json) as Partial<ReplicaSnapshot>;
  } catch {
    return {};
  }
}

/** Builds the fleet view: every live replica's published snapshot, with this replica's own taken live. */
@Injectable()
export class FleetViewService {
  constructor(
    private readonly coordinator: FleetCoordinator,
    private readonly snapshots: ReplicaSnapshotSource,
  ) {}

  async view(): Promise<FleetView> {
    const status = this.coordinator.status();
    let reading: FleetReading | null = null;
    try {
      reading = await this.coordinator.read();
    } catch {
      // Redis unreachable: this replica's own view and the budget as last seen.
    }
    const self: FleetReplicaView = {
      id: this.coordinator.replicaId,
      lastSeenMs: 0,
      ...this.snapshots.current(),
    };
    const others: FleetReplicaView[] = (reading?.replicas ?? [])
      .filter((r) => r.id !== self.id)
      .map((r) => {
        const snapshot = parseSnapshot(r.snapshotJson);
        return {
          id: r.id,
          ready: snapshot.ready ?? false,
          lastSeenMs: Math.max(0, reading!.now - r.publishedAt),
          sessions: snapshot.sessions ?? 0,
          pools: snapshot.pools ?? {},
        };
      });
    const budget = {} as FleetView['budget'];
    for (const pool of FLEET_POOLS) {
      budget[pool] = {
        max: status.pools[pool].max,
        leased: reading?.leased[pool] ?? status.pools[pool].leased,
      };
    }
    return {
      replicas: [self, ...others].sort((a, b) => a.id.localeCompare(b.id)),
      budget,
      redis: reading !== null && status.mode === 'ok' ? 'ok' : 'degraded',
    };
  }
}
