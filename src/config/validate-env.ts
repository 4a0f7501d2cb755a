import type { AppConfig, SpeechTarget } from './app-config';
import { ConfigValidationError, type ConfigProblem } from './config-validation-error';
import { CROSS_FIELD_RULES } from './env-rules';
import { ENV_VARIABLES, SECRET_VARIABLES, envSchema, type EnvVariable, type ParsedEnv } from './env.schema';

export type RawEnv = Record<string, string | undefined>;

/** Longest received value quoted back in a message; env values can be long (e.g. pasted JSON). */
const MAX_ECHO = 60;

/**
 * Validates the environment (CONTRACT §2) and returns the typed configuration, or throws one
 * ConfigValidationError naming every bad variable. Secret values are never part of the message.
 *
 * LOG_LEVEL defaults to `info`, or to `silent` when NODE_ENV=test so test runs stay quiet unless asked.
 */
export function validateEnv(raw: RawEnv): AppConfig {
  const parsed: Partial<Record<EnvVariable, unknown>> = {};
  const failed = new Set<EnvVariable>();
  const problems: ConfigProblem[] = [];

  // Field by field rather than one object parse, so cross-field rules still run for the fields that are fine.
  for (const variable of ENV_VARIABLES) {
    const result = envSchema.shape[variable].safeParse(raw[variable]);
    if (result.success) {
      parsed[variable] = result.data;
      continue;
    }
    failed.add(variable);
    const reason = result.error.issues[0]?.message ?? 'is invalid';
    problems.push({ variable, message: withReceived(variable, reason, raw[variable]) });
  }

  // Every field without a failure parsed, so this cast is what the schema produced.
  const env = parsed as ParsedEnv;
  for (const rule of CROSS_FIELD_RULES) problems.push(...rule(env, failed));

  if (problems.length > 0) throw new ConfigValidationError(problems);
  return toAppConfig(env, raw.NODE_ENV);
}

function withReceived(variable: EnvVariable, reason: string, value: string | undefined): string {
  if (SECRET_VARIABLES.has(variable) || value === undefined) return reason;
  const shown = value.length > MAX_ECHO ? `${value.slice(0, MAX_ECHO)}…` : value;
  return `${reason} (got ${JSON.stringify(shown)})`;
}

function speechTarget(env: ParsedEnv): SpeechTarget {
  if (env.SPEECH_EMULATOR === 'on') return { kind: 'emulator' };
  // A host wins over key+region: it is the more specific setting (containers are reached with a key, no region).
  if (env.AZURE_SPEECH_HOST !== undefined) {
    const key = env.AZURE_SPEECH_KEY;
    return key === undefined
      ? { kind: 'host', url: env.AZURE_SPEECH_HOST }
      : { kind: 'host', url: env.AZURE_SPEECH_HOST, key };
  }
  if (env.AZURE_SPEECH_KEY !== undefined && env.AZURE_SPEECH_REGION !== undefined) {
    return { kind: 'azure', key: env.AZURE_SPEECH_KEY, region: env.AZURE_SPEECH_REGION };
  }
  // Only reachable with `auto` and no Azure settings: `off` without them failed validation above.
  return { kind: 'emulator' };
}

const ms = (seconds: number): number => Math.round(seconds * 1000);

function toAppConfig(env: ParsedEnv, nodeEnv: string | undefined): AppConfig {
  return {
    port: env.PORT,
    speech: {
      emulatorMode: env.SPEECH_EMULATOR,
      target: speechTarget(env),
      ttsVoice: env.SPEECH_TTS_VOICE,
      sttLanguage: env.SPEECH_STT_LANGUAGE,
    },
    pools: {
      tts: {
        warmSize: env.SPEECH_POOL_TTS_WARM_SIZE ?? env.SPEECH_POOL_WARM_SIZE,
        maxSize: env.SPEECH_POOL_TTS_MAX_SIZE ?? env.SPEECH_POOL_MAX_SIZE,
      },
      stt: {
        warmSize: env.SPEECH_POOL_STT_WARM_SIZE ?? env.SPEECH_POOL_WARM_SIZE,
        maxSize: env.SPEECH_POOL_STT_MAX_SIZE ?? env.SPEECH_POOL_MAX_SIZE,
      },
      sessionAwareness: env.SPEECH_POOL_SESSION_AWARENESS,
      warmupIntervalMs: ms(env.SPEECH_POOL_WARMUP_INTERVAL),
      sessionMaxAgeMs: ms(env.SPEECH_POOL_SESSION_MAX_AGE),
      acquireTimeoutMs: ms(env.SPEECH_POOL_ACQUIRE_TIMEOUT),
      maxIdleMs: ms(env.SPEECH_POOL_MAX_IDLE),
    },
    voice: {
      apiKeys: env.VOICE_API_KEYS ?? [],
      corsOrigins: env.CORS_ORIGINS ?? [],
      sessionResumeGraceMs: ms(env.SESSION_RESUME_GRACE),
    },
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    debugEndpoints: env.DEBUG_ENDPOINTS,
  };
}
