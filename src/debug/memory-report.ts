import type { PoolRegistry } from '../metrics/pool-registry';

export interface PoolBooks {
  /** Clients the pool's factory produced. */
  created: number;
  /** Clients destroyed (disposed). */
  destroyed: number;
  /** created - destroyed: SDK clients that exist right now. */
  live: number;
}

export interface MemoryReport {
  /** process.memoryUsage(), in bytes. */
  memory: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  pools: Record<string, PoolBooks>;
}

/** Heap and RSS next to every pool's books, to tell a leak of SDK objects from ordinary heap growth. */
export function memoryReport(usage: NodeJS.MemoryUsage, pools: PoolRegistry): MemoryReport {
  const books = [...pools].map(([name, pool]): [string, PoolBooks] => {
    const { resourcesCreated: created, resourcesDestroyed: destroyed } = pool.snapshot().metrics;
    return [name, { created, destroyed, live: created - destroyed }];
  });
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = usage;
  return { memory: { rss, heapTotal, heapUsed, external, arrayBuffers }, pools: Object.fromEntries(books) };
}
