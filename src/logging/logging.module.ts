import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { httpLoggingOptions } from './http-logging';
import { ROOT_LOGGER, createRootLogger } from './root-logger';

/**
 * Structured JSON logs through nestjs-pino (main.ts routes Nest's own logger there with `app.useLogger`).
 * The level comes from LOG_LEVEL, which defaults to `silent` under NODE_ENV=test (see validateEnv), so tests are
 * quiet unless LOG_LEVEL is set.
 */
@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ROOT_LOGGER],
      useFactory: (logger: Logger) => ({ pinoHttp: httpLoggingOptions(logger) }),
    }),
  ],
  providers: [
    {
      provide: ROOT_LOGGER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Logger => createRootLogger(config.logLevel),
    },
  ],
  exports: [ROOT_LOGGER],
})
export class LoggingModule {}
