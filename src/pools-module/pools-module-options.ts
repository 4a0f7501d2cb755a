import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { PoolObserver } from '../pools';

export interface SpeechPoolSizes {
  warmSize: number;
  maxSize: number;
}

/** Where the pools connect; `emulator` starts the built-in speech emulator in-process on a free loopback port. */
export type { SpeechTarget as PoolsSpeechTarget } from '../config/app-config';
import type { SpeechTarget as PoolsSpeechTarget } from '../config/app-config';

export interface PoolsModuleOptions {
  target: PoolsSpeechTarget;
  tts: SpeechPoolSizes & {
    voice: string;
    /** Audio one synthesis may produce (SPEECH_TTS_MAX_AUDIO_DURATION, in ms; SPEECH_TTS_MAX_AUDIO_SIZE). */
    maxAudioMs?: number;
    maxAudioBytes?: number;
  };
  stt: SpeechPoolSizes & { language: string };
  sessionAwareness: boolean;
  warmupIntervalMs: number;
  sessionMaxAgeMs: number;
  acquireTimeoutMs: number;
  maxIdleMs: number;
  /** Per-synthesis deadline (the SDK can hang forever on a mid-turn close). */
  synthesisTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Metrics + logging hooks for a pool, by pool name. */
  observerFor?: (pool: 'tts' | 'stt') => PoolObserver;
}

export const {
  ConfigurableModuleClass: PoolsConfigurableModule,
  MODULE_OPTIONS_TOKEN: POOLS_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<PoolsModuleOptions>().setClassMethodName('forRoot').build();
