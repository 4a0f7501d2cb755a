import type { PoolSnapshot } from '../pools/pool-snapshot';
import type { PoolRegistry } from '../speech-pools/pool-tokens';

/**
 * Pool snapshots shared by every metric of one scrape, so all series describe the same instant and each pool
 * is read once. prom-client runs every metric's collect() in the same synchronous pass, so the cache lives
 * until the next microtask.
 */
export class ScrapeSnapshots {
  private cached: ReadonlyArray<readonly [string, PoolSnapshot]> | null = null;

  constructor(private readonly pools: PoolRegistry) {}

  current(): ReadonlyArray<readonly [string, PoolSnapshot]> {
    if (this.cached === null) {
      this.cached = this.read();
      queueMicrotask(() => (this.cached = null));
    }
    return this.cached;
  }

  private read(): Array<readonly [string, PoolSnapshot]> {
    const snapshots: Array<readonly [string, PoolSnapshot]> = [];
    for (const [name, pool] of this.pools) {
      try {
        snapshots.push([name, pool.snapshot()]);
      } catch {
        // A pool that cannot describe itself is left out of this scrape rather than failing all of it.
      }
    }
    return snapshots;
  }
}
