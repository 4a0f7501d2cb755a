import type { AppConfig } from '../config/app-config';
import type { PoolObserver } from '../pools';
import type { CreationGate } from '../pools/creation-gate';
import type { PoolsModuleOptions } from './pools-module-options';

/** SpeechPoolsModule options from the validated environment; `observerFor` supplies each pool's metrics/log hooks. */
export function poolsOptionsFromConfig(
  config: AppConfig,
  observerFor?: (pool: 'tts' | 'stt') => PoolObserver,
  gateFor?: (pool: 'tts' | 'stt') => CreationGate | undefined,
): PoolsModuleOptions {
  return {
    tts: {
      ...config.pools.tts,
      voice: config.speech.ttsVoice,
      maxAudioMs: config.speech.maxAudioMs,
      maxAudioBytes: config.speech.maxAudioBytes,
    },
    stt: { ...config.pools.stt, language: config.speech.sttLanguage },
    sessionAwareness: config.pools.sessionAwareness,
    warmupIntervalMs: config.pools.warmupIntervalMs,
    sessionMaxAgeMs: config.pools.sessionMaxAgeMs,
    acquireTimeoutMs: config.pools.acquireTimeoutMs,
    maxIdleMs: config.pools.maxIdleMs,
    trimIdleMs: config.pools.trimIdleMs,
    synthesisTimeoutMs: config.speech.synthesisStallTimeoutMs,
    observerFor,
    gateFor,
  };
}
