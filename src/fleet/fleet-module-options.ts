import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { PerPool } from './leases/lease-ledger';

export interface FleetModuleOptions {
  /** redis:// or rediss:// URL of the fleet's shared Redis. */
  redisUrl: string;
  /** This replica's name in the fleet (REPLICA_ID). */
  replicaId: string;
  /** Leases and session records expire this long after the replica's last heartbeat (FLEET_LEASE_TTL), ms. */
  leaseTtlMs: number;
  /** Fleet cap per pool (SPEECH_FLEET_*_MAX_SIZE); a pool without one is capped per process only. */
  fleetMax: Partial<PerPool<number>>;
  /** Heartbeat and snapshot period; default 1 s, or a third of the TTL if that is shorter. */
  heartbeatMs?: number;
  /** Longest start-up waits for Redis; default 5 s. */
  connectTimeoutMs?: number;
  /** Prefix of every key and pub/sub channel the fleet uses (FLEET_REDIS_PREFIX); default `warmline:`. */
  keyPrefix?: string;
}

export const {
  ConfigurableModuleClass: FleetConfigurableModule,
  MODULE_OPTIONS_TOKEN: FLEET_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<FleetModuleOptions>().setClassMethodName('forRoot').build();

export function heartbeatPeriodMs(options: FleetModuleOptions): number {
  return options.heartbeatMs ?? Math.max(50, Math.min(1000, Math.floor(options.leaseTtlMs / 3)));
}
