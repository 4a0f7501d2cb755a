import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { SDK_OBJECT_CENSUS, sdkObjectCensus } from '../speech/sdk-object-census';
import { DebugController } from './debug.controller';

/**
 * `/debug/*`. Off by default, and then the routes do not exist at all (a plain 404) rather than existing and
 * refusing. Routes are fixed when the module graph is built, so the flag comes from the validated config while
 * the graph is built (AppConfigModule.load().config); an invalid environment rejects this too, so start-up
 * fails instead of waiting forever.
 */
@Module({})
export class DebugModule {
  static async forRoot(config: Promise<Pick<AppConfig, 'debugEndpoints'>>): Promise<DynamicModule> {
    const { debugEndpoints } = await config;
    if (!debugEndpoints) return { module: DebugModule, controllers: [] };
    return {
      module: DebugModule,
      controllers: [DebugController],
      providers: [{ provide: SDK_OBJECT_CENSUS, useValue: sdkObjectCensus }],
    };
  }
}
