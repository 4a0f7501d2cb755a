import type { LogFormat, LogLevel, OpenAiVoiceName, SpeechEmulatorMode } from './env.schema';

/**
 * Where the speech pools connect, resolved from AZURE_SPEECH_* and SPEECH_EMULATOR. Same shape as the
 * UpstreamModule's `target` option, so it can be passed through as is.
 */
export type SpeechTarget =
  /** Real Azure: `SpeechConfig.fromSubscription(key, region)`. */
  | { kind: 'azure'; key: string; region: string }
  /** Any Speech-protocol host (Speech containers, a standalone emulator): `SpeechConfig.fromHost(url, key)`. */
  | { kind: 'host'; url: string; key?: string }
  /** The embedded emulator, started in-process on a free loopback port. */
  | { kind: 'emulator' };

export interface PoolSizeConfig {
  /** Clients kept pre-connected when idle. */
  warmSize: number;
  /** Most pre-connected clients the warm queue may grow to under demand (>= warmSize, <= maxSize). */
  warmMax: number;
  /** Hard cap on live clients (= upstream connections). */
  maxSize: number;
}

/** Per-connection and per-session bounds of the Socket.IO voice API; VoiceModuleOptions' `limits` take it as is. */
export interface VoiceLimitsConfig {
  requestsPerSecond: number;
  requestBurst: number;
  audioFramesPerSecond: number;
  audioFrameBurst: number;
  maxQueuedSyntheses: number;
  maxSendBufferBytes: number;
  maxEarlyAudioBytes: number;
}

/** Fleet mode (REDIS_URL set): replicas share the upstream budget and sessions through Redis. */
export interface FleetConfig {
  redisUrl: string;
  replicaId: string;
  leaseTtlMs: number;
  /** Prefix of every key and pub/sub channel the fleet uses in Redis (FLEET_REDIS_PREFIX). */
  redisPrefix: string;
  /** Fleet-wide cap on live clients per pool; null: the per-process cap only. */
  tts: { maxSize: number | null };
  stt: { maxSize: number | null };
}

/** The validated configuration (every variable: docs/configuration.md). Durations are ms, sizes bytes. */
export interface AppConfig {
  port: number;
  speech: {
    emulatorMode: SpeechEmulatorMode;
    target: SpeechTarget;
    ttsVoice: string;
    sttLanguage: string;
    /** A synthesis that delivers no audio for this long fails with TIMEOUT. */
    synthesisStallTimeoutMs: number;
    /** Most audio one synthesis may produce, in playback time. */
    maxAudioMs: number;
    /** Most audio one synthesis may produce, in bytes. */
    maxAudioBytes: number;
  };
  pools: {
    tts: PoolSizeConfig;
    stt: PoolSizeConfig;
    sessionAwareness: boolean;
    warmupIntervalMs: number;
    sessionMaxAgeMs: number;
    acquireTimeoutMs: number;
    maxIdleMs: number;
    /** A warm client beyond the warm size, idle this long, is closed. */
    trimIdleMs: number;
  };
  /** VoiceModule's options (VoiceModule.fromAppConfig passes this section as is). */
  voice: {
    /** Empty: only loopback clients may connect. */
    apiKeys: string[];
    /** Empty: no cross-origin access. May contain `*`. */
    corsOrigins: string[];
    sessionResumeGraceMs: number;
    /** Longest shutdown waits for running syntheses and recognitions. */
    drainTimeoutMs: number;
    limits: VoiceLimitsConfig;
  };
  /** The HTTP speech API. */
  http: {
    maxUploadBytes: number;
    /** Upstream voice for each OpenAI voice name (defaults merged with OPENAI_VOICE_MAP). */
    openaiVoices: Record<OpenAiVoiceName, string>;
  };
  /** Null without REDIS_URL (single process). */
  fleet: FleetConfig | null;
  logLevel: LogLevel;
  logFormat: LogFormat;
  debugEndpoints: boolean;
}
