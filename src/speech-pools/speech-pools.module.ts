import { Global, Module } from '@nestjs/common';
import type { ResourcePool } from '../pools';
import type { SpeechEndpoint } from '../upstream/speech-endpoint';
import { SPEECH_ENDPOINT } from '../upstream/upstream-tokens';
import { POOL_REGISTRY, STT_POOL, TTS_POOL, type PoolRegistry } from './pool-tokens';
import { PoolsLifecycle } from './pools-lifecycle';
import {
  POOLS_MODULE_OPTIONS,
  PoolsConfigurableModule,
  type PoolsModuleOptions,
} from './pools-module-options';
import { createSttPool, createTtsPool } from './speech-pools';

/**
 * The TTS and STT pools as injectable providers (`TTS_POOL`, `STT_POOL`, and both by name under
 * `POOL_REGISTRY`), connected to UpstreamModule's endpoint, prepared when the application boots and shut down —
 * every socket closed — when it stops.
 */
@Global()
@Module({
  providers: [
    {
      provide: TTS_POOL,
      inject: [POOLS_MODULE_OPTIONS, SPEECH_ENDPOINT],
      useFactory: (options: PoolsModuleOptions, endpoint: SpeechEndpoint) =>
        createTtsPool(options, endpoint.upstreamSet),
    },
    {
      provide: STT_POOL,
      inject: [POOLS_MODULE_OPTIONS, SPEECH_ENDPOINT],
      useFactory: (options: PoolsModuleOptions, endpoint: SpeechEndpoint) =>
        createSttPool(options, endpoint.upstreamSet),
    },
    {
      provide: POOL_REGISTRY,
      inject: [TTS_POOL, STT_POOL],
      useFactory: (tts: ResourcePool<unknown>, stt: ResourcePool<unknown>): PoolRegistry =>
        new Map([
          ['tts', tts],
          ['stt', stt],
        ]),
    },
    PoolsLifecycle,
  ],
  exports: [TTS_POOL, STT_POOL, POOL_REGISTRY, POOLS_MODULE_OPTIONS],
})
export class SpeechPoolsModule extends PoolsConfigurableModule {}
