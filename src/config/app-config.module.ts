import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { AppConfig } from './app-config';
import { APP_CONFIG, APP_CONFIG_KEY } from './app-config.token';
import { validateEnv, type RawEnv } from './validate-env';

export interface AppConfigLoad {
  /** ConfigModule (global) plus APP_CONFIG; rejects with ConfigValidationError on an invalid environment. */
  module: Promise<DynamicModule>;
  /** The validated configuration, for decisions about the module graph itself (which routes exist). */
  config: Promise<AppConfig>;
}

const ignore = (): void => undefined;

/**
 * Loads `.env` (if present; real environment variables win), validates it with `validateEnv` and provides the
 * result globally under APP_CONFIG. An invalid environment rejects here, so the application never starts.
 *
 * Tests (NODE_ENV=test) ignore `.env` so a developer's local file cannot change their outcome.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(): Promise<DynamicModule> {
    return AppConfigModule.load().module;
  }

  /** Validates now (at call time, not import time), so each test can build an app from its own environment. */
  static load(): AppConfigLoad {
    let validated: AppConfig | undefined;
    const configModule = ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      envFilePath: '.env',
      ignoreEnvFile: process.env.NODE_ENV === 'test',
      // The raw variables are returned too so .env values reach process.env as with plain dotenv; the typed
      // config sits under one key, as an object, so it is never copied there.
      validate: (env: RawEnv) => {
        validated = validateEnv(env);
        return { ...env, [APP_CONFIG_KEY]: validated };
      },
    });
    const config = configModule.then(() => {
      if (validated === undefined)
        throw new Error('ConfigModule finished without validating the environment');
      return validated;
    });
    const module = configModule.then((imported): DynamicModule => ({
      module: AppConfigModule,
      imports: [imported],
      providers: [
        {
          provide: APP_CONFIG,
          inject: [ConfigService],
          useFactory: (service: ConfigService): AppConfig => service.getOrThrow<AppConfig>(APP_CONFIG_KEY),
        },
      ],
      exports: [APP_CONFIG],
    }));
    // Whoever awaits these (Nest's scanner, DebugModule) still gets the rejection; this only stops Node from
    // calling it unhandled in the moment before they do.
    config.catch(ignore);
    module.catch(ignore);
    return { module, config };
  }
}
