import type { ResourcePool } from '../pools/resource-pool';

/** Injection tokens for the speech pools (values are ResourcePool<TtsClient> / ResourcePool<SttClient>). */
export const TTS_POOL = Symbol('TTS_POOL');
export const STT_POOL = Symbol('STT_POOL');

/** What POOL_REGISTRY holds: every pool by its public name ('tts', 'stt'), for health, REST and metrics. */
export type PoolRegistry = ReadonlyMap<string, ResourcePool<unknown>>;
export const POOL_REGISTRY = Symbol('POOL_REGISTRY');
