import { Module, type DynamicModule } from '@nestjs/common';
import { Tracing } from '../../../src/tracing/tracing';

@Module({})
class TestTracingModule {}

/** Provides `tracing` app-wide, as TracingModule does (without reading OTEL_* or needing a logger). */
export function testTracingModule(tracing: Tracing): DynamicModule {
  return {
    module: TestTracingModule,
    global: true,
    providers: [{ provide: Tracing, useValue: tracing }],
    exports: [Tracing],
  };
}
