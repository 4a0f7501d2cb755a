import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/root-logger';
import { createTracing } from './create-tracing';
import { Tracing } from './tracing';

/** Flushes the last spans once everything else has shut down (sessions end during the drain before it). */
@Injectable()
class TracingShutdown implements OnApplicationShutdown {
  constructor(@Inject(Tracing) private readonly tracing: Tracing) {}

  onApplicationShutdown(): Promise<void> {
    return this.tracing.shutdown();
  }
}

/**
 * Provides `Tracing` app-wide, configured by the standard OTEL_* variables (read when the application is built,
 * after .env is loaded). Needs ROOT_LOGGER (LoggingModule). Tests replace the provider:
 * `overrideProvider(Tracing).useValue(openTelemetryTracing([new InMemorySpanExporter()]))`.
 */
@Global()
@Module({
  providers: [
    {
      provide: Tracing,
      inject: [ROOT_LOGGER],
      useFactory: (logger: Logger): Tracing =>
        createTracing(process.env, logger.child({ context: 'Tracing' })),
    },
    TracingShutdown,
  ],
  exports: [Tracing],
})
export class TracingModule {}
