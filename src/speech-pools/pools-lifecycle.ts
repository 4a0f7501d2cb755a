import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { UpstreamLifecycle } from '../upstream/upstream-lifecycle';
import { POOL_REGISTRY, type PoolRegistry } from './pool-tokens';

/**
 * Fills the pools at start, once the upstream has accepted the credentials (the voice list loads meanwhile), and
 * drains them at shutdown.
 */
@Injectable()
export class PoolsLifecycle implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Pools');

  constructor(
    @Inject(POOL_REGISTRY) private readonly pools: PoolRegistry,
    private readonly upstream: UpstreamLifecycle,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.upstream.verifyCredentials();
    this.upstream.startProbing();
    const started = performance.now();
    await Promise.all([
      ...[...this.pools.values()].map((pool) => pool.prepare()),
      this.upstream.loadVoices(),
    ]);
    const warm = [...this.pools.values()].map((p) => `${p.name} ${p.snapshot().warmPoolSize}`).join(', ');
    this.logger.log(`pools prepared in ${Math.round(performance.now() - started)} ms (warm: ${warm})`);
  }

  /** Runs after every onModuleDestroy (where readiness goes down and the gateway drains), so nothing is in use. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.shutdown()));
    const books = [...this.pools.values()].map((p) => {
      const m = p.snapshot().metrics;
      return `${p.name} created ${m.resourcesCreated} destroyed ${m.resourcesDestroyed}`;
    });
    this.logger.log(`pools shut down (${books.join('; ')})`);
  }
}
