import type { LogFormat, LogLevel, OpenAiVoiceName, SpeechEmulatorMode } from './env.schema';

/**
 * Where the speech pools connect, resolved from AZURE_SPEECH_* and SPEECH_EMULATOR. Same shape as the
 * UpstreamModule's `target` option, so it can be passed through as is.
 */
export type SpeechTarget =
  /** Real Azure by region: by key, or (no key) with Entra ID tokens. */
  | { kind: 'azure'; region: string; key?: string }
  /** An Azure resource's custom domain (`https://<name>.cognitiveservices.azure.com`). */
  | { kind: 'endpoint'; url: string; key?: string }
  /** Any Speech-protocol host (Speech containers, a standalone emulator): `SpeechConfig.fromHost(url, key)`. */
  | { kind: 'host'; url: string; key?: string }
  /** The embedded emulator, started in-process on a free loopback port. */
  | { kind: 'emulator' };

/** Entra ID (AZURE_SPEECH_AUTH=entra): tokens from DefaultAzureCredential, refreshed ahead of expiry. */
export interface EntraConfig {
  /** The Speech resource's id, which the SDK's token form names. */
  resourceId: string;
  /** A token is replaced this long before it expires (at most half its lifetime before). */
  refreshSkewMs: number;
}

/** HTTPS_PROXY / NO_PROXY for the Speech connections and the voice list. */
export interface ProxyConfig {
  url: string;
  /** Hosts (and `.domain` suffixes, `*`) reached directly. */
  noProxy: string[];
}

/** When an upstream that keeps refusing new connections is skipped, and for how long. */
export interface FailoverConfig {
  /** Refused connection attempts in a row that open its circuit. */
  threshold: number;
  /** How long an open circuit skips it before one probe may try again. */
  cooldownMs: number;
}

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
  audioFramesPerSecond: number;
  audioFrameBurst: number;
  maxQueuedSyntheses: number;
  maxSendBufferBytes: number;
  maxEarlyAudioBytes: number;
  /** Characters one `tts.stream.*` utterance may carry. */
  streamMaxChars: number;
  /** A stream with no piece for this long before its end fails with TIMEOUT. */
  streamIdleMs: number;
  /** `tts.stream.text` pieces per connection: sustained per second, and burst. */
  streamPiecesPerSecond: number;
  streamPieceBurst: number;
  maxEarlyAudioTotalBytes: number;
  sttAudioIdleMs: number;
}

/** Per caller (an API key; without keys, every loopback client together), over every transport. */
export interface AccessConfig {
  requestsPerSecond: number;
  requestBurst: number;
  maxConcurrentPerKey: number;
  maxSessionsPerKey: number;
  /** GET /metrics without a key even when keys are set (for a Prometheus that cannot send one). */
  metricsPublic: boolean;
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
    /** The primary upstream. */
    target: SpeechTarget;
    /** Further upstreams in priority order (AZURE_SPEECH_REGION / _HOST / _ENDPOINT lists); empty: one upstream. */
    fallbacks: SpeechTarget[];
    /** Null: key authentication (or none, for a host without a key). */
    entra: EntraConfig | null;
    proxy: ProxyConfig | null;
    failover: FailoverConfig;
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
  /** AccessModule's budgets (the keys themselves: `voice.apiKeys`). */
  access: AccessConfig;
  /** The HTTP speech API. */
  http: {
    maxUploadBytes: number;
    /** An upload that sends nothing for this long is answered 408. */
    bodyIdleMs: number;
    /** Upload bytes held in memory by the whole process; beyond, held uploads are spooled to disk. */
    uploadMemoryBytes: number;
    /** What the uploads spooled to disk may hold together; beyond it such uploads are answered 503. */
    uploadSpoolBytes: number;
    /** Upstream voice for each OpenAI voice name (defaults merged with OPENAI_VOICE_MAP). */
    openaiVoices: Record<OpenAiVoiceName, string>;
  };
  /** From SIGTERM/SIGINT to a forced exit, whatever still runs (SHUTDOWN_TIMEOUT). */
  shutdownTimeoutMs: number;
  /** Null without REDIS_URL (single process). */
  fleet: FleetConfig | null;
  logLevel: LogLevel;
  logFormat: LogFormat;
  debugEndpoints: boolean;
}
