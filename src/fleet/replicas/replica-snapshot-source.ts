import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ShutdownState } from '../../lifecycle/shutdown-state';
import { type PoolRegistry, POOL_REGISTRY } from '../../speech-pools/pool-tokens';
import type { PoolSnapshot } from '../../pools/pool-snapshot';
import { SessionDirectory } from '../sessions/session-directory';
import type { ReplicaSnapshot } from './replica-snapshot';

/**
 * This replica's snapshot as the fleet sees it: ready like /health/ready, its sessions, its pools. The pools are
 * looked up on first use, not injected: they are built with the fleet's budgets, so they come after the fleet.
 */
@Injectable()
export class ReplicaSnapshotSource {
  private pools: PoolRegistry | null = null;

  constructor(
    private readonly modules: ModuleRef,
    private readonly shutdown: ShutdownState,
    private readonly sessions: SessionDirectory,
  ) {}

  current(): ReplicaSnapshot {
    this.pools ??= this.modules.get<PoolRegistry>(POOL_REGISTRY, { strict: false });
    const pools: Record<string, PoolSnapshot> = {};
    let ready = !this.shutdown.isShuttingDown && this.pools.size > 0;
    for (const [name, pool] of this.pools) {
      pools[name] = pool.snapshot();
      ready &&= pools[name].ready;
    }
    return { ready, sessions: this.sessions.connected, pools };
  }
}
