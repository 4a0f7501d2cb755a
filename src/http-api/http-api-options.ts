import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { OpenAiVoiceName } from '../config/env.schema';
import { DEFAULT_OPENAI_VOICES } from '../config/validate-env';

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
}

/** The options with every default filled in. */
export interface HttpApiSettings {
  maxUploadBytes: number;
  openaiVoices: Readonly<Record<OpenAiVoiceName, string>>;
  maxBufferedBytes: number;
  drainTimeoutMs: number;
}

export function resolveHttpApiSettings(options: HttpApiModuleOptions): HttpApiSettings {
  return {
    maxUploadBytes: options.maxUploadBytes,
    openaiVoices: { ...DEFAULT_OPENAI_VOICES, ...options.openaiVoices },
    maxBufferedBytes: options.maxBufferedBytes ?? 1024 * 1024,
    drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
  };
}

export const {
  ConfigurableModuleClass: HttpApiConfigurableModule,
  MODULE_OPTIONS_TOKEN: HTTP_API_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<HttpApiModuleOptions>().setClassMethodName('forRoot').build();

/** The resolved HttpApiSettings (inject this, not the raw options). */
export const HTTP_API_SETTINGS = Symbol('HTTP_API_SETTINGS');
