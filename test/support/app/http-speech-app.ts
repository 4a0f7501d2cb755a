import { Global, Module, type INestApplication } from '@nestjs/common';
import type { Tracing } from '../../../src/tracing/tracing';
import { testTracingModule } from './test-tracing-module';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { startEmulator, type RunningEmulator } from '../../../src/emulator';
import { HttpApiModule } from '../../../src/http-api/http-api.module';
import type { HttpApiModuleOptions } from '../../../src/http-api/http-api-options';
import { LifecycleModule } from '../../../src/lifecycle/lifecycle.module';
import { METRICS_REGISTRY } from '../../../src/metrics/metrics-registry';
import type { ResourcePool } from '../../../src/pools';
import { STT_POOL, TTS_POOL } from '../../../src/pools-module/pool-tokens';
import type { PoolsModuleOptions } from '../../../src/pools-module/pools-module-options';
import { PoolsModule } from '../../../src/pools-module/pools.module';
import { setupOpenApi } from '../../../src/openapi';
import type { SttClient } from '../../../src/speech/stt-client';
import type { TtsClient } from '../../../src/speech/tts-client';

@Global()
@Module({
  providers: [{ provide: METRICS_REGISTRY, useFactory: () => new Registry() }],
  exports: [METRICS_REGISTRY],
})
class TestMetricsRegistryModule {}

export interface HttpSpeechAppOptions {
  pools?: Partial<Omit<PoolsModuleOptions, 'target'>>;
  http?: Partial<HttpApiModuleOptions>;
  /** An emulator shared by several apps; otherwise the app starts (and closes) its own. */
  emulator?: RunningEmulator;
  /** The app's Tracing (as TracingModule would provide it); default: none, so tracing is off. */
  tracing?: Tracing;
}

export interface HttpSpeechApp {
  app: INestApplication;
  emulator: RunningEmulator;
  /** `http://127.0.0.1:PORT` */
  url: string;
  tts: ResourcePool<TtsClient>;
  stt: ResourcePool<SttClient>;
  close(): Promise<void>;
}

/**
 * The HTTP speech API as users get it: a Nest app with the real PoolsModule (real Speech SDK clients) against the
 * speech emulator over real sockets, listening on a free loopback port for real HTTP clients.
 */
export async function startHttpSpeechApp(options: HttpSpeechAppOptions = {}): Promise<HttpSpeechApp> {
  const ownEmulator = options.emulator === undefined;
  const emulator = options.emulator ?? (await startEmulator({ port: 0, voice: 'synthetic' }));
  const poolsOptions: PoolsModuleOptions = {
    target: { kind: 'host', url: emulator.url, key: 'test-key' },
    tts: { warmSize: 2, maxSize: 64, voice: 'en-US-JennyNeural' },
    stt: { warmSize: 2, maxSize: 64, language: 'en-US' },
    sessionAwareness: true,
    warmupIntervalMs: 30_000,
    sessionMaxAgeMs: 1_800_000,
    acquireTimeoutMs: 5_000,
    maxIdleMs: 240_000,
    synthesisTimeoutMs: 15_000,
    connectTimeoutMs: 10_000,
    ...options.pools,
  };
  const httpOptions: HttpApiModuleOptions = {
    apiKeys: [],
    requestsPerSecond: 1_000,
    requestBurst: 1_000,
    maxUploadBytes: 25 * 1024 * 1024,
    drainTimeoutMs: 5_000,
    ...options.http,
  };
  const moduleRef = await Test.createTestingModule({
    imports: [
      LifecycleModule,
      TestMetricsRegistryModule,
      ...(options.tracing === undefined ? [] : [testTracingModule(options.tracing)]),
      PoolsModule.forRoot(poolsOptions),
      HttpApiModule.forRoot(httpOptions),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  setupOpenApi(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  let closed = false;
  return {
    app,
    emulator,
    url: `http://127.0.0.1:${port}`,
    tts: app.get(TTS_POOL),
    stt: app.get(STT_POOL),
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      if (ownEmulator) await emulator.close();
    },
  };
}
