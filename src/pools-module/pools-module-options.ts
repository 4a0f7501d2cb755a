import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { PoolObserver } from '../pools';

export interface SpeechPoolSizes {
  warmSize: number;
  maxSize: number;
  /** Most pre-connected clients the warm queue may grow to under demand (default: the warm size). */
  warmMax?: number;
}

/** Where the pools connect; `emulator` starts the built-in speech emulator in-process on a free loopback port. */
export type { SpeechTarget as PoolsSpeechTarget } from '../config/app-config';
import type { SpeechTarget as PoolsSpeechTarget } from '../config/app-config';

export interface PoolsModuleOptions {
  target: PoolsSpeechTarget;
  tts: SpeechPoolSizes & {
    voice: string;
    /** Most audio one synthesis may produce, in playback ms (unbounded when unset). */
    maxAudioMs?: number;
    /** Most audio one synthesis may produce, in bytes (unbounded when unset). */
    maxAudioBytes?: number;
  };
  stt: SpeechPoolSizes & { language: string };
  sessionAwareness: boolean;
  warmupIntervalMs: number;
  sessionMaxAgeMs: number;
  acquireTimeoutMs: number;
  maxIdleMs: number;
  /** A warm client beyond the warm size, idle this long, is closed (never trimmed when unset). */
  trimIdleMs?: number;
  /** No-progress deadline of one synthesis (the SDK can hang forever on a mid-turn close). */
  synthesisTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Metrics + logging hooks for a pool, by pool name. */
  observerFor?: (pool: 'tts' | 'stt') => PoolObserver;
}

export const {
  ConfigurableModuleClass: PoolsConfigurableModule,
  MODULE_OPTIONS_TOKEN: POOLS_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<PoolsModuleOptions>().setClassMethodName('forRoot').build();
