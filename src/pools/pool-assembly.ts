import { AllocationSlowPath } from './allocation-slow-path';
import { FactoryBackoff } from './factory-backoff';
import { Maintenance } from './maintenance';
import type { PoolContext } from './pool-context';
import { PoolEventHub } from './pool-event-hub';
import { PoolLifecycle } from './pool-lifecycle';
import { PoolStatistics } from './pool-statistics';
import { Recycling } from './recycling';
import type { ResolvedPoolOptions } from './resolve-pool-options';
import { ResourceCreation } from './resource-creation';
import { ResourceDisposal } from './resource-disposal';
import { SessionBinder } from './session-binder';
import { SessionBindings } from './session-bindings';
import { SlotLedger } from './slot-ledger';
import { WaiterQueue } from './waiter-queue';
import { WarmRefill } from './warm-refill';

/** Every part of one pool, wired together (see {@link assemblePool}). */
export interface PoolParts<T> extends PoolContext<T> {
  readonly waiters: WaiterQueue<T>;
  readonly sessions: SessionBindings<T>;
  readonly refill: WarmRefill;
  readonly disposal: ResourceDisposal<T>;
  readonly recycling: Recycling<T>;
  readonly binder: SessionBinder<T>;
  readonly creation: ResourceCreation<T>;
  readonly slowPath: AllocationSlowPath<T>;
  readonly maintenance: Maintenance<T>;
}

/**
 * Builds the parts of one pool and wires them. The parts call each other downwards only:
 *
 *   slow path → session binder → recycling → disposal
 *   slow path → creation → recycling, disposal
 *   maintenance → session binder, recycling, refill
 *
 * and report upwards through the hooks given here, each named after what happened: capacity freed (disposal,
 * a failed factory call, the creation gate's wake), a free resource for the oldest waiter (recycling), a
 * creation's outcome for its caller (creation), a refill's creation (refill). `trimIdle` is the pool's own, for
 * the creation gate.
 */
export function assemblePool<T>(
  opts: ResolvedPoolOptions<T>,
  trimIdle: (count: number) => number,
): PoolParts<T> {
  const { clock } = opts;
  const ledger = new SlotLedger<T>();
  const life = new PoolLifecycle();
  const ctx: PoolContext<T> = {
    opts,
    clock,
    ledger,
    stats: new PoolStatistics(),
    events: new PoolEventHub(opts.observer),
    life,
  };
  const waiters = new WaiterQueue<T>(clock);
  const sessions = new SessionBindings<T>();
  // Made last (they call the others); the hooks below reach them once they exist.
  let slowPath: AllocationSlowPath<T> | null = null;
  let creation: ResourceCreation<T> | null = null;
  const slow = (): AllocationSlowPath<T> => slowPath as AllocationSlowPath<T>;

  const backoff = new FactoryBackoff(
    opts.backoffInitialMs,
    opts.backoffMaxMs,
    opts.backoffJitter,
    opts.random,
  );
  const refill = new WarmRefill(opts.warmPoolSize, opts.refillDelayMs, clock, backoff, {
    life,
    ledger,
    maxSize: opts.maxSize,
    createWarm: () => (creation as ResourceCreation<T>).create(null),
  });
  const disposal = new ResourceDisposal(ctx, () => slow().capacityFreed());
  const recycling = new Recycling(ctx, disposal, waiters, (slot, tier) => slow().handOver(slot, tier));
  const binder = new SessionBinder(ctx, sessions, recycling, disposal);
  creation = new ResourceCreation(ctx, refill, recycling, disposal, {
    created: (pending, slot) => slow().created(pending, slot),
    failed: (pending, error) => slow().failed(pending, error),
    refused: (pending) => slow().refused(pending),
    capacityFreed: () => slow().capacityFreed(),
  });
  slowPath = new AllocationSlowPath(ctx, waiters, refill, recycling, disposal, binder, creation);
  const maintenance = new Maintenance(ctx, binder, recycling, refill);

  opts.creationGate?.attach({
    name: opts.name,
    pendingAcquires: () => waiters.size,
    idleCount: () => ledger.idle + sessions.idleCount,
    allocations: () => ctx.stats.allocationsTotal,
    busy: () => ledger.inUse - sessions.idleCount + waiters.size,
    wake: () => slow().capacityFreed(),
    trimIdle,
  });
  return { ...ctx, waiters, sessions, refill, disposal, recycling, binder, creation, slowPath, maintenance };
}
