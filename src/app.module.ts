import {
  Logger,
  Module,
  type DynamicModule,
  type ModuleMetadata,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AccessModule, type AccessModuleOptions } from './access/access.module';
import type { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { APP_CONFIG } from './config/app-config.token';
import { DebugModule } from './debug/debug.module';
import { fleetModuleFor } from './fleet/fleet-from-config';
import { FLEET_GATES } from './fleet/fleet-tokens';
import type { CreationGate } from './pools/creation-gate';
import { HealthModule } from './health/health.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { ShutdownState } from './lifecycle/shutdown-state';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { PoolObserverFactory } from './metrics/pool-observer.factory';
import { SpeechPoolsModule } from './speech-pools/speech-pools.module';
import { poolsOptionsFromConfig } from './speech-pools/pools-options-from-config';
import { PoolsApiModule } from './speech-pools/pools-api.module';
import { TracingModule } from './tracing/tracing.module';
import { upstreamOptionsFromConfig } from './upstream/upstream-options';
import { UpstreamModule } from './upstream/upstream.module';

export type ModuleImport = NonNullable<ModuleMetadata['imports']>[number];

export interface AppModuleOptions {
  /**
   * The module that provides POOL_REGISTRY app-wide (@Global, exporting it). Defaults to SPEECH_MODULES below
   * (the upstream and the pools on it); the shell's e2e tests pass test/support/pools/fake-pools.module.ts instead.
   */
  pools?: ModuleImport;
  /** Further feature modules, e.g. the voice gateway. */
  features?: ModuleImport[];
}

type GateFor = (pool: 'tts' | 'stt') => CreationGate | undefined;

/** The production upstream and pools: real Speech SDK clients, configured from the validated environment. */
const SPEECH_MODULES: ModuleImport[] = [
  UpstreamModule.forRootAsync({ inject: [APP_CONFIG], useFactory: upstreamOptionsFromConfig }),
  SpeechPoolsModule.forRootAsync({
    // The fleet's budgets exist only in fleet mode (REDIS_URL).
    inject: [APP_CONFIG, PoolObserverFactory, { token: FLEET_GATES, optional: true }],
    useFactory: (config: AppConfig, observers: PoolObserverFactory, gates?: GateFor) =>
      poolsOptionsFromConfig(config, (pool) => observers.forPool(pool), gates),
  }),
];

/** Access (keys, per-key budgets) from the validated environment. */
export function accessOptionsFromConfig(config: AppConfig): AccessModuleOptions {
  const { requestsPerSecond, requestBurst, maxConcurrentPerKey, maxSessionsPerKey } = config.access;
  return {
    apiKeys: config.voice.apiKeys,
    requestsPerSecond,
    requestBurst,
    maxConcurrentPerKey,
    maxSessionsPerKey,
  };
}

/**
 * The application. `AppModule.forRoot()` builds the module graph from the environment at call time (not at
 * import time), so each test can build its own app with its own environment.
 */
@Module({})
export class AppModule implements OnModuleDestroy {
  private readonly logger = new Logger('Lifecycle');

  constructor(private readonly shutdown: ShutdownState) {}

  static forRoot(options: AppModuleOptions = {}): DynamicModule {
    const config = AppConfigModule.load();
    return {
      module: AppModule,
      imports: [
        config.module, // first: on an invalid environment, its ConfigValidationError is the error reported
        LoggingModule,
        TracingModule,
        LifecycleModule,
        AccessModule.forRootAsync({ inject: [APP_CONFIG], useFactory: accessOptionsFromConfig }),
        MetricsModule,
        fleetModuleFor(config.config),
        ...(options.pools === undefined ? SPEECH_MODULES : [options.pools]),
        HealthModule,
        PoolsApiModule,
        DebugModule.forRoot(config.config),
        ...(options.features ?? []),
      ],
    };
  }

  /**
   * The earliest shutdown hook there is: Nest destroys modules root first (lowest import depth) and every module
   * AppModule imports sits deeper, so readiness is 503 before any pool or gateway hook runs.
   */
  onModuleDestroy(): void {
    if (this.shutdown.isShuttingDown) return;
    this.shutdown.begin('application shutdown');
    this.logger.log('shutting down: readiness is 503 from now on');
  }
}
