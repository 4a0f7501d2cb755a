import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { FleetCoordinator } from '../replicas/fleet-coordinator';

/**
 * The `fleet` readiness entry. Always up: a replica that cannot reach Redis keeps serving from its local share
 * (taking it out of the Service would turn a Redis blip into an outage), so the entry says `degraded` instead.
 */
@Injectable()
export class FleetHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly coordinator: FleetCoordinator,
  ) {}

  check() {
    const status = this.coordinator.status();
    const budget = Object.fromEntries(
      Object.entries(status.pools)
        .filter(([, pool]) => pool.max !== null)
        .map(([name, pool]) => [name, { max: pool.max, held: pool.held, localShare: pool.localShare }]),
    );
    const details = {
      redis: status.mode === 'ok' ? ('ok' as const) : ('degraded' as const),
      replica: this.coordinator.replicaId,
      replicasLastSeen: status.replicasLastSeen,
      budget,
      ...(status.reason !== null && status.mode !== 'ok' ? { reason: status.reason } : {}),
    };
    return this.indicators.check('fleet').up(details);
  }
}
