import type { PoolRegistry } from '../speech-pools/pool-tokens';
import type { SdkObjectCount, SdkObjectKind } from '../speech/sdk-object-census';

export interface PoolBooks {
  /** Clients the pool's factory produced. */
  created: number;
  /** Clients destroyed (disposed). */
  destroyed: number;
  /** created - destroyed: SDK clients that exist right now. */
  live: number;
}

export interface MemoryReport {
  /** Whether a full garbage collection ran just before measuring (`?gc=true`). */
  gc: boolean;
  /** process.memoryUsage(), in bytes. */
  memory: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  pools: Record<string, PoolBooks>;
  /** Speech SDK objects still in memory; after a collection, compare with the pools' live clients. */
  sdkObjects: Record<SdkObjectKind, SdkObjectCount>;
}

/**
 * Heap and RSS next to every pool's books and the live Speech SDK objects: after a collection, SDK objects
 * beyond the pools' live clients are a leak of SDK objects, as opposed to ordinary heap growth.
 */
export function memoryReport(
  usage: NodeJS.MemoryUsage,
  pools: PoolRegistry,
  sdkObjects: Record<SdkObjectKind, SdkObjectCount>,
  gc: boolean,
): MemoryReport {
  const books = [...pools].map(([name, pool]): [string, PoolBooks] => {
    const { resourcesCreated: created, resourcesDestroyed: destroyed } = pool.snapshot().metrics;
    return [name, { created, destroyed, live: created - destroyed }];
  });
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = usage;
  return {
    gc,
    memory: { rss, heapTotal, heapUsed, external, arrayBuffers },
    pools: Object.fromEntries(books),
    sdkObjects,
  };
}
