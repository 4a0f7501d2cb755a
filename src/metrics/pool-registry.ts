import type { ResourcePool } from '../pools/resource-pool';

/** What POOL_REGISTRY (src/pools-module/pool-tokens.ts) holds: every pool by its public name ('tts', 'stt'). */
export type PoolRegistry = ReadonlyMap<string, ResourcePool<unknown>>;
