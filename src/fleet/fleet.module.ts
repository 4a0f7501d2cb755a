import { Global, Logger, Module } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { FleetController } from './api/fleet.controller';
import { FleetHealthIndicator } from './api/fleet-health.indicator';
import { FleetMetrics } from './api/fleet-metrics';
import { FleetViewService } from './api/fleet-view.service';
import { FleetLifecycle } from './fleet-lifecycle';
import {
  FLEET_MODULE_OPTIONS,
  FleetConfigurableModule,
  heartbeatPeriodMs,
  type FleetModuleOptions,
} from './fleet-module-options';
import {
  FLEET_GATES,
  FLEET_HEALTH,
  FLEET_REDIS,
  FLEET_SESSIONS,
  FLEET_SOCKET_ADAPTER,
  FLEET_VIEW,
} from './fleet-tokens';
import { FleetVoiceSessions } from './sessions/fleet-voice-sessions';
import { createFleetSocketAdapter } from './socket/fleet-socket-adapter';
import { FleetKeys } from './redis/fleet-keys';
import { connectFleetRedis } from './redis/redis-connection';
import { FleetCoordinator } from './replicas/fleet-coordinator';
import { ReplicaSnapshotSource } from './replicas/replica-snapshot-source';
import { SessionDirectory } from './sessions/session-directory';

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/**
 * Fleet mode: loaded only when REDIS_URL is set, so without it no Redis code runs. Connects at start-up
 * (bounded: an unreachable Redis is a start-up error) and registers the replica before anything else can use the
 * budgets. Needs POOL_REGISTRY, METRICS_REGISTRY and ShutdownState (global). Global: the pools take their
 * budgets (FLEET_GATES), readiness its entry (FLEET_HEALTH), the voice server its adapter and sessions from it.
 */
@Global()
@Module({
  controllers: [FleetController],
  providers: [
    {
      provide: FleetKeys,
      inject: [FLEET_MODULE_OPTIONS],
      useFactory: (options: FleetModuleOptions) => new FleetKeys(options.keyPrefix),
    },
    {
      provide: FLEET_REDIS,
      inject: [FLEET_MODULE_OPTIONS],
      useFactory: (options: FleetModuleOptions): Promise<Redis> => {
        const timeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
        return connectFleetRedis(options.redisUrl, {
          connectTimeoutMs: timeout,
          // A Redis slower than this degrades the fleet; a lease costs well under a millisecond normally.
          commandTimeoutMs: 1_000,
          connectionName: `warmline:${options.replicaId}`,
        });
      },
    },
    {
      provide: SessionDirectory,
      inject: [FLEET_MODULE_OPTIONS, FLEET_REDIS, FleetKeys],
      useFactory: (options: FleetModuleOptions, redis: Redis, keys: FleetKeys) =>
        new SessionDirectory({ redis, keys, replicaId: options.replicaId, leaseTtlMs: options.leaseTtlMs }),
    },
    ReplicaSnapshotSource,
    {
      provide: FleetCoordinator,
      inject: [FLEET_MODULE_OPTIONS, FLEET_REDIS, FleetKeys, ReplicaSnapshotSource],
      useFactory: async (
        options: FleetModuleOptions,
        redis: Redis,
        keys: FleetKeys,
        snapshots: ReplicaSnapshotSource,
      ): Promise<FleetCoordinator> => {
        const coordinator = new FleetCoordinator({
          redis,
          keys,
          replicaId: options.replicaId,
          leaseTtlMs: options.leaseTtlMs,
          heartbeatMs: heartbeatPeriodMs(options),
          fleetMax: options.fleetMax,
          snapshot: () => snapshots.current(),
          logger: new Logger('Fleet'),
        });
        await coordinator.start();
        return coordinator;
      },
    },
    {
      provide: FLEET_GATES,
      inject: [FleetCoordinator],
      useFactory: (coordinator: FleetCoordinator) => (pool: 'tts' | 'stt') => coordinator.budgets.get(pool),
    },
    {
      provide: FLEET_SOCKET_ADAPTER,
      inject: [FLEET_REDIS, FleetKeys],
      useFactory: (redis: Redis, keys: FleetKeys) => createFleetSocketAdapter(redis, keys.prefix),
    },
    HealthIndicatorService,
    FleetHealthIndicator,
    { provide: FLEET_HEALTH, useExisting: FleetHealthIndicator },
    FleetVoiceSessions,
    { provide: FLEET_SESSIONS, useExisting: FleetVoiceSessions },
    FleetMetrics,
    FleetViewService,
    { provide: FLEET_VIEW, useExisting: FleetViewService },
    FleetLifecycle,
  ],
  exports: [
    FleetCoordinator,
    SessionDirectory,
    FleetHealthIndicator,
    FLEET_REDIS,
    FLEET_GATES,
    FLEET_HEALTH,
    FLEET_SESSIONS,
    FLEET_SOCKET_ADAPTER,
    FLEET_VIEW,
  ],
})
export class FleetModule extends FleetConfigurableModule {}
