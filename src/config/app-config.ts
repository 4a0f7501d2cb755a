import type { LogLevel, SpeechEmulatorMode } from './env.schema';

/**
 * Where the speech pools connect, resolved from AZURE_SPEECH_* and SPEECH_EMULATOR. Same shape as the
 * PoolsModule's `target` option, so it can be passed through as is.
 */
export type SpeechTarget =
  /** Real Azure: `SpeechConfig.fromSubscription(key, region)`. */
  | { kind: 'azure'; key: string; region: string }
  /** Any Speech-protocol host (Speech containers, a standalone emulator): `SpeechConfig.fromHost(url, key)`. */
  | { kind: 'host'; url: string; key?: string }
  /** The embedded emulator, started in-process on a free loopback port. */
  | { kind: 'emulator' };

export interface PoolSizeConfig {
  warmSize: number;
  maxSize: number;
}

/** The validated configuration (CONTRACT §2). Durations are milliseconds. */
export interface AppConfig {
  port: number;
  speech: {
    emulatorMode: SpeechEmulatorMode;
    target: SpeechTarget;
    ttsVoice: string;
    sttLanguage: string;
  };
  pools: {
    tts: PoolSizeConfig;
    stt: PoolSizeConfig;
    sessionAwareness: boolean;
    warmupIntervalMs: number;
    sessionMaxAgeMs: number;
    acquireTimeoutMs: number;
    maxIdleMs: number;
  };
  voice: {
    /** Empty: only loopback clients may connect. */
    apiKeys: string[];
    /** Empty: no cross-origin access. May contain `*`. */
    corsOrigins: string[];
    sessionResumeGraceMs: number;
  };
  logLevel: LogLevel;
  debugEndpoints: boolean;
}
