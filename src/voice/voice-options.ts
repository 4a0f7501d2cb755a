import { ConfigurableModuleBuilder } from '@nestjs/common';

/** Per-connection and per-session bounds (per-key ones: AccessModule). Every one has a default; tests shrink them. */
export interface VoiceLimits {
  /** Synthesis requests that may wait behind the running one, per session; beyond: RATE_LIMITED. */
  maxQueuedSyntheses: number;
  /** stt.audio frame rate per connection (separate, higher: 10-20 ms frames are common). */
  audioFramesPerSecond: number;
  audioFrameBurst: number;
  /**
   * Back-pressure: when a connection has more than this many bytes queued for sending (engine.io write buffer +
   * websocket send buffer), its running synthesis is aborted with RATE_LIMITED instead of buffering more; past
   * this plus {@link ANSWER_ALLOWANCE_BYTES}, the connection is closed rather than sent more answers.
   */
  maxSendBufferBytes: number;
  /** Audio sent after stt.start but before its ack, held until the recognizer runs. */
  maxEarlyAudioBytes: number;
  /** The same, for every session of the process together; beyond it such audio is refused (RATE_LIMITED). */
  maxEarlyAudioTotalBytes: number;
  /** A running recognition that gets no stt.audio for this long ends with TIMEOUT; its recognizer goes back. */
  sttAudioIdleMs: number;
  /** Socket.IO maxHttpBufferSize: a bigger message drops only its own connection. */
  maxHttpBufferSize: number;
  /**
   * `tts.stream.text` pieces per connection (their own rate, not the request rate: a model's reply streamed token
   * by token sends dozens a second), sustained per second and burst.
   */
  streamPiecesPerSecond: number;
  streamPieceBurst: number;
  /** Characters one streamed utterance may carry (VOICE_TTS_STREAM_MAX_CHARS). */
  streamMaxChars: number;
  /** A stream that gets no piece for this long before its end fails with TIMEOUT (VOICE_TTS_STREAM_IDLE), ms. */
  streamIdleMs: number;
}

/** Room above maxSendBufferBytes for the small answers a connection at its bound still gets (acks, errors). */
export const ANSWER_ALLOWANCE_BYTES = 64 * 1024;

export const DEFAULT_VOICE_LIMITS: VoiceLimits = {
  maxQueuedSyntheses: 8,
  audioFramesPerSecond: 200,
  audioFrameBurst: 400,
  maxSendBufferBytes: 1024 * 1024,
  maxEarlyAudioBytes: 256 * 1024,
  maxEarlyAudioTotalBytes: 32 * 1024 * 1024,
  sttAudioIdleMs: 10_000,
  // 64 KiB of SSML can double when JSON-escaped; anything valid fits well within this.
  maxHttpBufferSize: 256 * 1024,
  streamPiecesPerSecond: 200,
  streamPieceBurst: 400,
  streamMaxChars: 20_000,
  streamIdleMs: 30_000,
};

/**
 * What VoiceModule.forRoot() takes: AppConfig's `voice` section fits as is, limits are optional. Keys, the request
 * rate and the per-key caps belong to AccessModule (shared with the HTTP API).
 */
export interface VoiceModuleOptions {
  /** CORS_ORIGINS; empty = no cross-origin (browser) access. `*` allows any origin. */
  corsOrigins: string[];
  /** SESSION_RESUME_GRACE in ms. */
  sessionResumeGraceMs: number;
  /** Longest shutdown waits for running syntheses and recognitions (default 10 s). */
  drainTimeoutMs?: number;
  limits?: Partial<VoiceLimits>;
}

/** The options with every default filled in. */
export interface VoiceSettings {
  corsOrigins: readonly string[];
  sessionResumeGraceMs: number;
  drainTimeoutMs: number;
  limits: VoiceLimits;
}

export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

export function resolveVoiceSettings(options: VoiceModuleOptions): VoiceSettings {
  return {
    corsOrigins: options.corsOrigins.filter((origin) => origin.length > 0),
    sessionResumeGraceMs: options.sessionResumeGraceMs,
    drainTimeoutMs: options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
    limits: { ...DEFAULT_VOICE_LIMITS, ...options.limits },
  };
}

export const {
  ConfigurableModuleClass: VoiceConfigurableModule,
  MODULE_OPTIONS_TOKEN: VOICE_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<VoiceModuleOptions>().setClassMethodName('forRoot').build();

/** The resolved VoiceSettings (inject this, not the raw options). */
export const VOICE_SETTINGS = Symbol('VOICE_SETTINGS');

/** Optional `Clock` (src/pools/clock.ts) for session grace and idle-synthesizer timers; tests inject a fake one. */
export const VOICE_CLOCK = Symbol('VOICE_CLOCK');

/** The SessionFleet the voice layer reports its sessions to: the fleet's in fleet mode, else SINGLE_PROCESS. */
export const VOICE_FLEET = Symbol('VOICE_FLEET');
