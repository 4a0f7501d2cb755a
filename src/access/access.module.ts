import {
  ConfigurableModuleBuilder,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Access } from './access';
import { VoiceAuthenticator } from './api-key-auth';
import { AuthFailures } from './auth-failures';
import { CallerQuotas } from './caller-quotas';

/** What AccessModule.forRoot() takes. */
export interface AccessModuleOptions {
  /** VOICE_API_KEYS; empty: only loopback clients are served, as one caller. */
  apiKeys: readonly string[];
  /** VOICE_REQUEST_RATE / VOICE_REQUEST_BURST: requests per caller, over every transport. */
  requestsPerSecond: number;
  requestBurst: number;
  /** VOICE_MAX_CONCURRENT_PER_KEY: syntheses and recognitions in flight per caller. */
  maxConcurrentPerKey: number;
  /** VOICE_MAX_SESSIONS_PER_KEY: open Socket.IO connections per caller. */
  maxSessionsPerKey: number;
  /** Failed authentications per client address before it is refused for a while (default 10, then 1/s). */
  authFailureBurst?: number;
  authFailuresPerSecond?: number;
  /** Failed authentications are logged as one line per interval (default 10 s). */
  authFailureLogIntervalMs?: number;
}

export const {
  ConfigurableModuleClass: AccessConfigurableModule,
  MODULE_OPTIONS_TOKEN: ACCESS_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<AccessModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** The shared Access (inject with `@Inject(ACCESS)`). */
export const ACCESS = Symbol('ACCESS');

/** The Access AccessModule provides (also for tests that build their parts by hand). */
export function createAccess(options: AccessModuleOptions): Access {
  const logger = new Logger('Access');
  const failures = new AuthFailures({
    burst: options.authFailureBurst ?? 10,
    perSecond: options.authFailuresPerSecond ?? 1,
    logIntervalMs: options.authFailureLogIntervalMs ?? 10_000,
    log: (message) => logger.warn(message),
  });
  const quotas = new CallerQuotas({
    requestsPerSecond: options.requestsPerSecond,
    requestBurst: options.requestBurst,
    maxConcurrent: options.maxConcurrentPerKey,
    maxSessions: options.maxSessionsPerKey,
  });
  return new Access(new VoiceAuthenticator(options.apiKeys), failures, quotas);
}

/**
 * Access for every transport, app-wide (global): one Access per application, so the voice gateway, the HTTP API
 * and the dashboard share callers' budgets and the failed-authentication throttle.
 */
@Module({
  providers: [{ provide: ACCESS, inject: [ACCESS_MODULE_OPTIONS], useFactory: createAccess }],
  exports: [ACCESS],
})
export class AccessModule extends AccessConfigurableModule implements OnApplicationShutdown {
  constructor(@Inject(ACCESS) private readonly access: Access) {
    super();
  }

  onApplicationShutdown(): void {
    this.access.flush();
  }
}
