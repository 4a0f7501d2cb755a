import { Global, Module } from '@nestjs/common';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { httpLoggingOptions } from './http-logging';
import { logDestination } from './log-destination';
import { NestPinoLogger } from './nest-logger';
import { ROOT_LOGGER, createRootLogger } from './root-logger';

/**
 * Structured logs through pino: JSON lines, or readable ones with LOG_FORMAT=pretty. Requests are logged by
 * pino-http (nestjs-pino); Nest's own logger is NestPinoLogger (configureApp installs it with `app.useLogger`),
 * which keeps a request's id on lines logged while serving it. The level comes from LOG_LEVEL, which defaults to
 * `silent` under NODE_ENV=test (see validateEnv), so tests are quiet unless LOG_LEVEL is set.
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
      useFactory: (config: AppConfig): Logger =>
        createRootLogger(config.logLevel, logDestination(config.logFormat)),
    },
    {
      provide: NestPinoLogger,
      inject: [PinoLogger],
      useFactory: (pino: PinoLogger) => new NestPinoLogger(pino),
    },
  ],
  exports: [ROOT_LOGGER, NestPinoLogger],
})
export class LoggingModule {}
