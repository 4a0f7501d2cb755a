export type { AppConfig, PoolSizeConfig, SpeechTarget } from './app-config';
export { APP_CONFIG, APP_CONFIG_KEY } from './app-config.token';
export { AppConfigModule } from './app-config.module';
export { ConfigValidationError, type ConfigProblem } from './config-validation-error';
export { ENV_VARIABLES, PINO_LEVELS, type LogLevel, type SpeechEmulatorMode } from './env.schema';
export { validateEnv, type RawEnv } from './validate-env';
