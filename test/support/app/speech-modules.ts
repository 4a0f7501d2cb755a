import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { RunningEmulator } from '../../../src/emulator';
import { METRICS_REGISTRY } from '../../../src/metrics/metrics-registry';
import type { PoolsModuleOptions } from '../../../src/speech-pools/pools-module-options';
import { SpeechPoolsModule } from '../../../src/speech-pools/speech-pools.module';
import { UpstreamModule } from '../../../src/upstream/upstream.module';

/** The application's metrics registry, as MetricsModule provides it (without its other dependencies). */
@Global()
@Module({
  providers: [{ provide: METRICS_REGISTRY, useFactory: () => new Registry() }],
  exports: [METRICS_REGISTRY],
})
export class TestMetricsRegistryModule {}

export const TEST_VOICE = 'en-US-JennyNeural';
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The real UpstreamModule pointed at `emulator` and the real SpeechPoolsModule on it (real Speech SDK clients over
 * real sockets), with test-sized pools; `pools` overrides any pool setting.
 */
export function emulatorSpeechModules(
  emulator: RunningEmulator,
  pools: Partial<PoolsModuleOptions> = {},
): DynamicModule[] {
  const poolsOptions: PoolsModuleOptions = {
    tts: { warmSize: 2, maxSize: 64, voice: TEST_VOICE },
    stt: { warmSize: 2, maxSize: 64, language: 'en-US' },
    sessionAwareness: true,
    warmupIntervalMs: 30_000,
    sessionMaxAgeMs: 1_800_000,
    acquireTimeoutMs: 5_000,
    maxIdleMs: 240_000,
    synthesisTimeoutMs: 15_000,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    ...pools,
  };
  return [
    UpstreamModule.forRoot({
      target: { kind: 'host', url: emulator.url, key: 'test-key' },
      voice: poolsOptions.tts.voice,
      connectTimeoutMs: poolsOptions.connectTimeoutMs,
    }),
    SpeechPoolsModule.forRoot(poolsOptions),
  ];
}
