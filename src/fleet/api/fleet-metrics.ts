import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../../metrics/metrics-registry';
import { FLEET_POOLS } from '../redis/fleet-keys';
import { FleetCoordinator } from '../replicas/fleet-coordinator';

/**
 * Fleet gauges, from the replica's last heartbeat (no Redis call at scrape time): the fleet cap and leases taken
 * fleet-wide per pool, the live replicas, and whether this replica works from its local share.
 */
@Injectable()
export class FleetMetrics {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, coordinator: FleetCoordinator) {
    const registers = [registry];
    new Gauge({
      name: 'warmline_fleet_budget',
      help: 'Fleet-wide cap on live upstream clients of the pool (+Inf when the pool has none)',
      labelNames: ['pool'],
      registers,
      collect() {
        const { pools } = coordinator.status();
        for (const pool of FLEET_POOLS) this.set({ pool }, pools[pool].max ?? Infinity);
      },
    });
    new Gauge({
      name: 'warmline_fleet_leased',
      help: 'Leases (live upstream clients) taken across the fleet, as of the last heartbeat',
      labelNames: ['pool'],
      registers,
      collect() {
        const { pools } = coordinator.status();
        for (const pool of FLEET_POOLS) this.set({ pool }, pools[pool].leased);
      },
    });
    new Gauge({
      name: 'warmline_fleet_replicas',
      help: 'Replicas with a current heartbeat, as last seen',
      registers,
      collect() {
        this.set(coordinator.status().replicasLastSeen);
      },
    });
    new Gauge({
      name: 'warmline_fleet_degraded',
      help: '1 while this replica cannot reach Redis and creates clients only within its local share',
      registers,
      collect() {
        this.set(coordinator.status().mode === 'ok' ? 0 : 1);
      },
    });
  }
}
