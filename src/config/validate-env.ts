import { defaultReplicaId } from './default-replica-id';
import type { AppConfig, FleetConfig, PoolSizeConfig, SpeechTarget } from './app-config';
import { ConfigValidationError, type ConfigProblem } from './config-validation-error';
import { CROSS_FIELD_RULES } from './env-rules';
import {
  ENV_VARIABLES,
  SECRET_VARIABLES,
  envSchema,
  type EnvVariable,
  type OpenAiVoiceName,
  type ParsedEnv,
} from './env.schema';
import { resolvePoolSizes, type PoolName } from './pool-sizes';

export type RawEnv = Record<string, string | undefined>;

/** Longest received value quoted back in a message; env values can be long (e.g. pasted JSON). */
const MAX_ECHO = 60;

/**
 * Validates the environment (docs/configuration.md) and returns the typed configuration, or throws one
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
  return toAppConfig(env, raw.NODE_ENV, raw.HOSTNAME);
}

function withReceived(variable: EnvVariable, reason: string, value: string | undefined): string {
  if (SECRET_VARIABLES.has(variable) || value === undefined) return reason;
  const shown = value.length > MAX_ECHO ? `${value.slice(0, MAX_ECHO)}…` : value;
  return `${reason} (got ${JSON.stringify(shown)})`;
}

/** Every configured upstream in priority order; the embedded emulator when none is configured. */
function speechTargets(env: ParsedEnv): SpeechTarget[] {
  if (env.SPEECH_EMULATOR === 'on') return [{ kind: 'emulator' }];
  const entra = env.AZURE_SPEECH_AUTH === 'entra';
  const keys = entra ? [] : (env.AZURE_SPEECH_KEY ?? []);
  // One key for all, or one per entry (the rules checked the count).
  const keyFor = (i: number): { key?: string } => {
    const key = keys.length === 1 ? keys[0] : keys[i];
    return key === undefined ? {} : { key };
  };
  // A host wins over an endpoint and a region: it is the most specific setting (containers take a key, no region).
  if (env.AZURE_SPEECH_HOST !== undefined) {
    return env.AZURE_SPEECH_HOST.map((url, i) => ({ kind: 'host', url, ...keyFor(i) }));
  }
  if (env.AZURE_SPEECH_ENDPOINT !== undefined) {
    return env.AZURE_SPEECH_ENDPOINT.map((url, i) => ({ kind: 'endpoint', url, ...keyFor(i) }));
  }
  if (env.AZURE_SPEECH_REGION !== undefined && (entra || keys.length > 0)) {
    return env.AZURE_SPEECH_REGION.map((region, i) => ({ kind: 'azure', region, ...keyFor(i) }));
  }
  // Only reachable with `auto` and no Azure settings: `off` without them failed validation above.
  return [{ kind: 'emulator' }];
}

const ms = (seconds: number): number => Math.round(seconds * 1000);
const KiB = 1024;
const MiB = 1024 * 1024;

/** What each OpenAI voice name speaks with unless OPENAI_VOICE_MAP says otherwise. */
export const DEFAULT_OPENAI_VOICES: Readonly<Record<OpenAiVoiceName, string>> = {
  alloy: 'en-US-AvaNeural',
  echo: 'en-US-AndrewNeural',
  fable: 'en-GB-RyanNeural',
  onyx: 'en-US-GuyNeural',
  nova: 'en-US-JennyNeural',
  shimmer: 'en-US-AriaNeural',
};

function primaryAndFallbacks(targets: SpeechTarget[]): { target: SpeechTarget; fallbacks: SpeechTarget[] } {
  const [target = { kind: 'emulator' }, ...fallbacks] = targets;
  return { target, fallbacks };
}

function poolSizes(env: ParsedEnv, pool: PoolName): PoolSizeConfig {
  const { warmSize, warmMax, maxSize } = resolvePoolSizes(env, pool);
  return { warmSize: warmSize.value, warmMax: warmMax.value, maxSize: maxSize.value };
}

function fleetConfig(env: ParsedEnv, hostName: string | undefined): FleetConfig | null {
  if (env.REDIS_URL === undefined) return null;
  return {
    redisUrl: env.REDIS_URL,
    replicaId: env.REPLICA_ID ?? defaultReplicaId({ HOSTNAME: hostName }),
    leaseTtlMs: ms(env.FLEET_LEASE_TTL),
    redisPrefix: env.FLEET_REDIS_PREFIX,
    tts: { maxSize: env.SPEECH_FLEET_TTS_MAX_SIZE ?? env.SPEECH_FLEET_MAX_SIZE ?? null },
    stt: { maxSize: env.SPEECH_FLEET_STT_MAX_SIZE ?? env.SPEECH_FLEET_MAX_SIZE ?? null },
  };
}

function toAppConfig(env: ParsedEnv, nodeEnv: string | undefined, hostName: string | undefined): AppConfig {
  return {
    port: env.PORT,
    speech: {
      emulatorMode: env.SPEECH_EMULATOR,
      ...primaryAndFallbacks(speechTargets(env)),
      entra:
        env.AZURE_SPEECH_AUTH === 'entra' && env.AZURE_SPEECH_RESOURCE_ID !== undefined
          ? {
              resourceId: env.AZURE_SPEECH_RESOURCE_ID,
              refreshSkewMs: ms(env.AZURE_SPEECH_TOKEN_REFRESH_SKEW),
            }
          : null,
      proxy: env.HTTPS_PROXY === undefined ? null : { url: env.HTTPS_PROXY, noProxy: env.NO_PROXY ?? [] },
      failover: {
        threshold: env.AZURE_SPEECH_FAILOVER_THRESHOLD,
        cooldownMs: ms(env.AZURE_SPEECH_FAILOVER_COOLDOWN),
      },
      ttsVoice: env.SPEECH_TTS_VOICE,
      sttLanguage: env.SPEECH_STT_LANGUAGE,
      synthesisStallTimeoutMs: ms(env.SPEECH_TTS_STALL_TIMEOUT),
      maxAudioMs: ms(env.SPEECH_TTS_MAX_AUDIO_DURATION),
      maxAudioBytes: env.SPEECH_TTS_MAX_AUDIO_SIZE * MiB,
    },
    pools: {
      tts: poolSizes(env, 'tts'),
      stt: poolSizes(env, 'stt'),
      sessionAwareness: env.SPEECH_POOL_SESSION_AWARENESS,
      warmupIntervalMs: ms(env.SPEECH_POOL_WARMUP_INTERVAL),
      sessionMaxAgeMs: ms(env.SPEECH_POOL_SESSION_MAX_AGE),
      acquireTimeoutMs: ms(env.SPEECH_POOL_ACQUIRE_TIMEOUT),
      maxIdleMs: ms(env.SPEECH_POOL_MAX_IDLE),
      trimIdleMs: ms(env.SPEECH_POOL_TRIM_IDLE),
    },
    voice: {
      apiKeys: env.VOICE_API_KEYS ?? [],
      corsOrigins: env.CORS_ORIGINS ?? [],
      sessionResumeGraceMs: ms(env.SESSION_RESUME_GRACE),
      drainTimeoutMs: ms(env.VOICE_DRAIN_TIMEOUT),
      limits: {
        audioFramesPerSecond: env.VOICE_AUDIO_FRAME_RATE,
        audioFrameBurst: env.VOICE_AUDIO_FRAME_BURST,
        maxQueuedSyntheses: env.VOICE_MAX_QUEUED_SYNTHESES,
        maxSendBufferBytes: env.VOICE_SEND_BUFFER_MAX * KiB,
        maxEarlyAudioBytes: env.VOICE_EARLY_AUDIO_MAX * KiB,
        streamMaxChars: env.VOICE_TTS_STREAM_MAX_CHARS,
        streamIdleMs: ms(env.VOICE_TTS_STREAM_IDLE),
        streamPiecesPerSecond: env.VOICE_TTS_STREAM_PIECE_RATE,
        streamPieceBurst: env.VOICE_TTS_STREAM_PIECE_BURST,
        maxEarlyAudioTotalBytes: env.VOICE_EARLY_AUDIO_TOTAL_MAX * MiB,
        sttAudioIdleMs: ms(env.VOICE_STT_AUDIO_IDLE),
      },
    },
    access: {
      requestsPerSecond: env.VOICE_REQUEST_RATE,
      requestBurst: env.VOICE_REQUEST_BURST,
      maxConcurrentPerKey: env.VOICE_MAX_CONCURRENT_PER_KEY,
      maxSessionsPerKey: env.VOICE_MAX_SESSIONS_PER_KEY,
      metricsPublic: env.METRICS_PUBLIC,
    },
    http: {
      maxUploadBytes: env.HTTP_MAX_UPLOAD * MiB,
      bodyIdleMs: ms(env.HTTP_BODY_IDLE),
      uploadMemoryBytes: env.HTTP_UPLOAD_MEMORY * MiB,
      uploadSpoolBytes: env.HTTP_UPLOAD_SPOOL * MiB,
      openaiVoices: { ...DEFAULT_OPENAI_VOICES, ...env.OPENAI_VOICE_MAP },
    },
    shutdownTimeoutMs: ms(env.SHUTDOWN_TIMEOUT),
    fleet: fleetConfig(env, hostName),
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    logFormat: env.LOG_FORMAT,
    debugEndpoints: env.DEBUG_ENDPOINTS,
  };
}
