import { Global, Logger, Module } from '@nestjs/common';
import type { ResourcePool } from '../pools';
import { VoiceCatalog } from '../speech/voice-catalog';
import { POOL_REGISTRY, STT_POOL, TTS_POOL, VOICE_CATALOG } from './pool-tokens';
import { PoolsLifecycle } from './pools-lifecycle';
import {
  POOLS_MODULE_OPTIONS,
  PoolsConfigurableModule,
  type PoolsModuleOptions,
} from './pools-module-options';
import { SPEECH_ENDPOINT, openSpeechEndpoint, type SpeechEndpoint } from './speech-endpoint';
import { createSttPool, createTtsPool } from './speech-pools';

/**
 * The TTS and STT pools as injectable providers (`TTS_POOL`, `STT_POOL`, and both by name under
 * `POOL_REGISTRY`), prepared when the application boots and shut down — every socket closed — when it stops;
 * and the upstream's voices (`VOICE_CATALOG`), loaded at start-up.
 */
@Global()
@Module({
  providers: [
    {
      provide: SPEECH_ENDPOINT,
      inject: [POOLS_MODULE_OPTIONS],
      useFactory: (options: PoolsModuleOptions) => openSpeechEndpoint(options.target, new Logger('Speech')),
    },
    {
      provide: TTS_POOL,
      inject: [POOLS_MODULE_OPTIONS, SPEECH_ENDPOINT],
      useFactory: (options: PoolsModuleOptions, endpoint: SpeechEndpoint) =>
        createTtsPool(options, endpoint.target),
    },
    {
      provide: STT_POOL,
      inject: [POOLS_MODULE_OPTIONS, SPEECH_ENDPOINT],
      useFactory: (options: PoolsModuleOptions, endpoint: SpeechEndpoint) =>
        createSttPool(options, endpoint.target),
    },
    {
      provide: POOL_REGISTRY,
      inject: [TTS_POOL, STT_POOL],
      useFactory: (
        tts: ResourcePool<unknown>,
        stt: ResourcePool<unknown>,
      ): ReadonlyMap<string, ResourcePool<unknown>> =>
        new Map([
          ['tts', tts],
          ['stt', stt],
        ]),
    },
    {
      provide: VOICE_CATALOG,
      inject: [POOLS_MODULE_OPTIONS, SPEECH_ENDPOINT],
      useFactory: (options: PoolsModuleOptions, endpoint: SpeechEndpoint) =>
        new VoiceCatalog({ target: endpoint.target, timeoutMs: options.connectTimeoutMs }),
    },
    PoolsLifecycle,
  ],
  exports: [TTS_POOL, STT_POOL, POOL_REGISTRY, VOICE_CATALOG, SPEECH_ENDPOINT, POOLS_MODULE_OPTIONS],
})
export class PoolsModule extends PoolsConfigurableModule {}
