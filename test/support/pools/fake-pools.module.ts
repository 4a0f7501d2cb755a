import { Global, Module, type DynamicModule } from '@nestjs/common';
import { POOL_REGISTRY } from '../../../src/speech-pools/pool-tokens';
import { fakePoolRegistry, type FakePool } from './fake-pool';

/**
 * Test stand-in for the real UpstreamModule and SpeechPoolsModule: provides POOL_REGISTRY globally from fake pools whose snapshots the
 * test controls. For the operational shell's e2e tests only (health, REST, metrics, debug).
 */
@Global()
@Module({})
export class FakePoolsModule {
  static register(registry: ReadonlyMap<string, FakePool> = fakePoolRegistry()): DynamicModule {
    return {
      module: FakePoolsModule,
      providers: [{ provide: POOL_REGISTRY, useValue: registry }],
      exports: [POOL_REGISTRY],
    };
  }
}
