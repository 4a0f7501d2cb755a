import type { HttpApp } from './http-app';
import type { Tracing } from '../../../src/tracing/tracing';
import { testTracingModule } from './test-tracing-module';
import { emulatorSpeechModules, TestMetricsRegistryModule } from './speech-modules';
import { testAccessModule } from './test-access-module';
import type { AccessModuleOptions } from '../../../src/access/access.module';
import { Test } from '@nestjs/testing';
import { startEmulator, type RunningEmulator } from '../../../src/emulator';
import { HttpApiModule } from '../../../src/http-api/http-api.module';
import type { HttpApiModuleOptions } from '../../../src/http-api/http-api-options';
import { LifecycleModule } from '../../../src/lifecycle/lifecycle.module';
import type { ResourcePool } from '../../../src/pools';
import { STT_POOL, TTS_POOL } from '../../../src/speech-pools/pool-tokens';
import type { PoolsModuleOptions } from '../../../src/speech-pools/pools-module-options';
import { setupOpenApi } from '../../../src/openapi';
import type { SttClient } from '../../../src/speech/stt-client';
import type { TtsClient } from '../../../src/speech/tts-client';

export interface HttpSpeechAppOptions {
  pools?: Partial<PoolsModuleOptions>;
  /** `apiKeys`: VOICE_API_KEYS (AccessModule's, shared by every transport). */
  http?: Partial<HttpApiModuleOptions> & { apiKeys?: string[] };
  /** Per-key budgets; default: far out of the way. */
  access?: Partial<AccessModuleOptions>;
  /** An emulator shared by several apps; otherwise the app starts (and closes) its own. */
  emulator?: RunningEmulator;
  /** The app's Tracing (as TracingModule would provide it); default: none, so tracing is off. */
  tracing?: Tracing;
}

export interface HttpSpeechApp {
  app: HttpApp;
  emulator: RunningEmulator;
  /** `http://127.0.0.1:PORT` */
  url: string;
  tts: ResourcePool<TtsClient>;
  stt: ResourcePool<SttClient>;
  close(): Promise<void>;
}

/**
 * The HTTP speech API as users get it: a Nest app with the real UpstreamModule and SpeechPoolsModule (real Speech SDK clients) against the
 * speech emulator over real sockets, listening on a free loopback port for real HTTP clients.
 */
export async function startHttpSpeechApp(options: HttpSpeechAppOptions = {}): Promise<HttpSpeechApp> {
  const ownEmulator = options.emulator === undefined;
  const emulator = options.emulator ?? (await startEmulator({ port: 0, voice: 'synthetic' }));
  const { apiKeys = [], ...http } = options.http ?? {};
  const httpOptions: HttpApiModuleOptions = {
    maxUploadBytes: 25 * 1024 * 1024,
    drainTimeoutMs: 5_000,
    ...http,
  };
  const moduleRef = await Test.createTestingModule({
    imports: [
      LifecycleModule,
      TestMetricsRegistryModule,
      testAccessModule({ apiKeys, ...options.access }),
      ...(options.tracing === undefined ? [] : [testTracingModule(options.tracing)]),
      ...emulatorSpeechModules(emulator, options.pools),
      HttpApiModule.forRoot(httpOptions),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<HttpApp>({ logger: ['error', 'warn'] });
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
