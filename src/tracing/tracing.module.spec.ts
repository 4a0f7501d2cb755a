import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ROOT_LOGGER, createRootLogger } from '../logging/root-logger';
import { DISABLED_TRACING } from './noop-tracing';
import { OpenTelemetryTracing } from './otel-tracing';
import { Tracing } from './tracing';
import { TracingModule } from './tracing.module';
import { TracingSettingsError } from './tracing-settings';

@Global()
@Module({
  providers: [{ provide: ROOT_LOGGER, useValue: createRootLogger('silent') }],
  exports: [ROOT_LOGGER],
})
class SilentLoggerModule {}

const OTEL_VARIABLES = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_TRACES_EXPORTER', 'OTEL_SDK_DISABLED'];

describe('TracingModule', () => {
  const saved = new Map(OTEL_VARIABLES.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  /** Builds the module with exactly `env` among the OpenTelemetry variables (restored after each test). */
  async function build(env: Record<string, string>) {
    for (const name of OTEL_VARIABLES) delete process.env[name];
    Object.assign(process.env, env);
    const moduleRef = await Test.createTestingModule({
      imports: [SilentLoggerModule, TracingModule],
    }).compile();
    return moduleRef.createNestApplication();
  }

  it('provides the disabled Tracing when no OTEL_* variable asks for tracing', async () => {
    const app = await build({});
    await app.init();
    expect(app.get(Tracing)).toBe(DISABLED_TRACING);
    await app.close();
  });

  it('provides OpenTelemetry tracing with an endpoint, and shuts it down with the application', async () => {
    const app = await build({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    await app.init();
    const tracing = app.get(Tracing);
    expect(tracing).toBeInstanceOf(OpenTelemetryTracing);
    const shutdown = jest.spyOn(tracing, 'shutdown');
    await app.close();
    expect(shutdown).toHaveBeenCalledTimes(1);
  });

  it('stops start-up on settings it cannot honour', async () => {
    await expect(build({ OTEL_TRACES_EXPORTER: 'jaeger' })).rejects.toThrow(TracingSettingsError);
  });
});
