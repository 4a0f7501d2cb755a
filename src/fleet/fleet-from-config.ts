import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { FLEET_SOCKET_ADAPTER } from './fleet-tokens';

/**
 * Stands in for FleetModule without REDIS_URL: nothing of fleet mode is loaded, no Redis code runs. It says so
 * to the voice server's adapter (no cross-replica adapter), which looks this up when it builds the server.
 */
@Global()
@Module({
  providers: [{ provide: FLEET_SOCKET_ADAPTER, useValue: null }],
  exports: [FLEET_SOCKET_ADAPTER],
})
class SingleProcessModule {}

/**
 * FleetModule configured from the environment, or an empty module without REDIS_URL. The fleet module (and with
 * it ioredis) is loaded only in fleet mode.
 */
export async function fleetModuleFor(config: Promise<AppConfig>): Promise<DynamicModule> {
  const { fleet } = await config;
  if (fleet === null) return { module: SingleProcessModule };
  const { FleetModule } = await import('./fleet.module');
  const fleetMax: { tts?: number; stt?: number } = {};
  if (fleet.tts.maxSize !== null) fleetMax.tts = fleet.tts.maxSize;
  if (fleet.stt.maxSize !== null) fleetMax.stt = fleet.stt.maxSize;
  return FleetModule.forRoot({
    redisUrl: fleet.redisUrl,
    replicaId: fleet.replicaId,
    leaseTtlMs: fleet.leaseTtlMs,
    keyPrefix: fleet.redisPrefix,
    fleetMax,
  });
}
