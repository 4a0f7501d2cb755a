import { ConfigurableModuleBuilder } from '@nestjs/common';
import { tmpdir } from 'node:os';
import type { OpenAiVoiceName } from '../config/env.schema';
import { DEFAULT_OPENAI_VOICES } from '../config/validate-env';
import { systemClock, type Clock } from '../pools/clock';
import type { UploadPace } from './upload-pace';

/**
 * The slowest an upload may arrive, averaged over every 10 s the server waits for it: 4 KiB/s, an eighth of
 * 16 kHz speech in real time (a quarter of 8 kHz), well below any client that streams audio as it is recorded,
 * well above a trickle that would hold a recognizer for minutes.
 */
export const DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND = 4 * 1024;
export const DEFAULT_UPLOAD_RATE_WINDOW_MS = 10_000;

/** What HttpApiModule.forRoot() takes (keys and per-key budgets: AccessModule). */
export interface HttpApiModuleOptions {
  /** HTTP_MAX_UPLOAD in bytes: the largest audio upload accepted. */
  maxUploadBytes: number;
  /** OPENAI_VOICE_MAP: the Azure voice each OpenAI voice name stands for; the defaults fill what is missing. */
  openaiVoices?: Partial<Record<OpenAiVoiceName, string>>;
  /** Audio a response may have waiting for a slow reader before its synthesis is aborted (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Longest shutdown waits for requests in flight before stopping them (default 10 s). */
  drainTimeoutMs?: number;
  /** HTTP_BODY_IDLE: an upload that sends nothing for this long is answered 408 (default 5 s). */
  bodyIdleMs?: number;
  /** HTTP_UPLOAD_MEMORY: upload bytes the process holds in memory; the rest is spooled to disk (default 64 MiB). */
  uploadMemoryBytes?: number;
  /** HTTP_UPLOAD_SPOOL: what all spooled uploads together may hold on disk (default 48 MiB). */
  uploadSpoolBytes?: number;
  /** Where spooled uploads go (default: the OS temporary directory). */
  uploadSpoolDirectory?: string;
  /** The slowest an upload may arrive, over every `uploadRateWindowMs` of waiting (defaults: 4 KiB/s, 10 s). */
  minUploadBytesPerSecond?: number;
  uploadRateWindowMs?: number;
  /** The clock upload timeouts run on (tests inject a fake one). */
  clock?: Clock;
}

/** The options with every default filled in. */
export interface HttpApiSettings {
  maxUploadBytes: number;
  openaiVoices: Readonly<Record<OpenAiVoiceName, string>>;
  maxBufferedBytes: number;
  drainTimeoutMs: number;
  uploadPace: UploadPace;
  uploadMemoryBytes: number;
  uploadSpoolBytes: number;
  uploadSpoolDirectory: string;
  clock: Clock;
}

export function resolveHttpApiSettings(options: HttpApiModuleOptions): HttpApiSettings {
  return {
    maxUploadBytes: options.maxUploadBytes,
    openaiVoices: { ...DEFAULT_OPENAI_VOICES, ...options.openaiVoices },
    maxBufferedBytes: options.maxBufferedBytes ?? 1024 * 1024,
    drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
    uploadPace: {
      idleMs: options.bodyIdleMs ?? 5_000,
      minBytesPerSecond: options.minUploadBytesPerSecond ?? DEFAULT_MIN_UPLOAD_BYTES_PER_SECOND,
      rateWindowMs: options.uploadRateWindowMs ?? DEFAULT_UPLOAD_RATE_WINDOW_MS,
    },
    uploadMemoryBytes: options.uploadMemoryBytes ?? 64 * 1024 * 1024,
    uploadSpoolBytes: options.uploadSpoolBytes ?? 48 * 1024 * 1024,
    uploadSpoolDirectory: options.uploadSpoolDirectory ?? tmpdir(),
    clock: options.clock ?? systemClock,
  };
}

export const {
  ConfigurableModuleClass: HttpApiConfigurableModule,
  MODULE_OPTIONS_TOKEN: HTTP_API_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<HttpApiModuleOptions>().setClassMethodName('forRoot').build();

/** The resolved HttpApiSettings (inject this, not the raw options). */
export const HTTP_API_SETTINGS = Symbol('HTTP_API_SETTINGS');
