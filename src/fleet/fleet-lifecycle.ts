import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { FLEET_REDIS, FLEET_SOCKET_ADAPTER } from './fleet-tokens';
import type { FleetSocketAdapter } from './socket/fleet-socket-adapter';
import { FleetCoordinator } from './replicas/fleet-coordinator';
import { SessionDirectory } from './sessions/session-directory';

/**
 * Session records ride on the heartbeat; at shutdown the replica leaves the fleet after the pools closed their
 * clients (onApplicationShutdown runs after every beforeApplicationShutdown), then closes its connection.
 */
@Injectable()
export class FleetLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Fleet');

  constructor(
    private readonly coordinator: FleetCoordinator,
    private readonly sessions: SessionDirectory,
    @Inject(FLEET_REDIS) private readonly redis: Redis,
    @Inject(FLEET_SOCKET_ADAPTER) private readonly socketAdapter: FleetSocketAdapter,
  ) {}

  onModuleInit(): void {
    this.coordinator.onBeat(() => this.sessions.refresh());
    const budgets = [...this.coordinator.budgets.values()].map((b) => `${b.name} ${b.max}`).join(', ');
    this.logger.log(
      `fleet mode: replica ${this.coordinator.replicaId}, ${this.coordinator.replicasLastSeen()} replicas live, ` +
        `fleet budget ${budgets || 'none (per-process caps only)'}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.coordinator.stop();
    await this.socketAdapter.close();
    // Without Redis there is nothing to say goodbye to: close the socket rather than wait for a QUIT's answer.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}
