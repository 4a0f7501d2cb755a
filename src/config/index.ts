export type { AppConfig, FleetConfig, PoolSizeConfig, SpeechTarget, VoiceLimitsConfig } from './app-config';
export { APP_CONFIG, APP_CONFIG_KEY } from './app-config.token';
export { AppConfigModule } from './app-config.module';
export { ConfigValidationError, type ConfigProblem } from './config-validation-error';
export {
  ENV_VARIABLES,
  LOG_FORMATS,
  OPENAI_VOICE_NAMES,
  PINO_LEVELS,
  type LogFormat,
  type LogLevel,
  type OpenAiVoiceName,
  type SpeechEmulatorMode,
} from './env.schema';
export { describeUnknownVariables, findUnknownVariables, type UnknownVariable } from './unknown-variables';
export { DEFAULT_OPENAI_VOICES, validateEnv, type RawEnv } from './validate-env';
