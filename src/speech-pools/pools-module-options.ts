import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { PoolObserver } from '../pools';
import type { CreationGate } from '../pools/creation-gate';

export interface SpeechPoolSizes {
  warmSize: number;
  maxSize: number;
  /**
   * Released clients are kept warm up to this many (default 2 × warmSize, within maxSize). Has no effect on the
   * STT pool: its recognizers are single-use, destroyed on release.
   */
  warmMax?: number;
}

/** The pools' sizes and timings. Where they connect is UpstreamModule's `SPEECH_ENDPOINT`. */
export interface PoolsModuleOptions {
  tts: SpeechPoolSizes & {
    voice: string;
    /** Most audio one synthesis may produce, in playback ms (unbounded when unset). */
    maxAudioMs?: number;
    /** Most audio one synthesis may produce, in bytes (unbounded when unset). */
    maxAudioBytes?: number;
    /** Turns a synthesizer serves before it is replaced (default MAX_TURNS_PER_SYNTHESIZER, 1,000). */
    maxTurns?: number;
  };
  stt: SpeechPoolSizes & { language: string };
  sessionAwareness: boolean;
  warmupIntervalMs: number;
  sessionMaxAgeMs: number;
  acquireTimeoutMs: number;
  maxIdleMs: number;
  /** Warm clients above the warm size unused this long are closed by maintenance (default 60_000). */
  trimIdleMs?: number;
  /** Per-synthesis deadline (the SDK can hang forever on a mid-turn close). */
  synthesisTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Metrics + logging hooks for a pool, by pool name. */
  observerFor?: (pool: 'tts' | 'stt') => PoolObserver;
  /** A budget beyond the pool's own cap (fleet mode: the fleet-wide one), by pool name. */
  gateFor?: (pool: 'tts' | 'stt') => CreationGate | undefined;
}

export const {
  ConfigurableModuleClass: PoolsConfigurableModule,
  MODULE_OPTIONS_TOKEN: POOLS_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<PoolsModuleOptions>().setClassMethodName('forRoot').build();
