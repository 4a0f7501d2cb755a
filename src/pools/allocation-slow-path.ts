import { AllocationTier } from './allocation-tier';
import type { Clock } from './clock';
import { PendingAllocation, PendingState } from './pending-allocation';
import type { PoolContext } from './pool-context';
import { PoolClosedError, PoolTimeoutError } from './pool-errors';
import type { PoolLifecycle } from './pool-lifecycle';
import { Slot, SlotState } from './pool-slot';
import { NOT_USED, USED_NOW, type Recycling } from './recycling';
import { untilAborted } from './rejections';
import type { AcquireOptions, SessionAllocation } from './resource-pool';
import type { CreationOutcomes, ResourceCreation } from './resource-creation';
import type { ResourceDisposal } from './resource-disposal';
import type { SessionBinder } from './session-binder';
import type { SessionBinding } from './session-bindings';
import type { SlotLedger } from './slot-ledger';
import type { WaiterQueue } from './waiter-queue';
import type { WarmCheck } from './warm-check';
import type { WarmRefill } from './warm-refill';

/**
 * Every acquire that could not be served synchronously, from its start to its one outcome: served (WARM from the
 * warm stack or a hand-over, COLD from a factory call made for it, or DEDICATED after an async validation),
 * failed, timed out, or aborted. Its books are the {@link WaiterQueue} (those waiting at the cap, FIFO) and the
 * allocations with a factory call or an async validation running (so shutdown can reject them at once); each
 * {@link PendingAllocation}'s state says where it is, and finishing one undoes its bookkeeping in O(1).
 *
 * Whenever capacity frees (a destroy, a failed factory call, the creation gate's wake) the oldest waiters may
 * create; a free resource reaches the oldest waiter through {@link handOver} before the warm stack.
 */
export class AllocationSlowPath<T> implements CreationOutcomes<T> {
  private readonly clock: Clock;
  private readonly ledger: SlotLedger<T>;
  private readonly life: PoolLifecycle;
  private readonly maxSize: number;
  /** Allocations with a factory call or an async validation running. */
  private readonly inFlight = new Set<PendingAllocation<T>>();
  /** The gate refused since capacity last freed: a loop handing out capacity stops instead of spinning. */
  private gateShut = false;

  constructor(
    private readonly ctx: PoolContext<T>,
    private readonly waiters: WaiterQueue<T>,
    private readonly refill: WarmRefill,
    private readonly recycling: Recycling<T>,
    private readonly disposal: ResourceDisposal<T>,
    private readonly binder: SessionBinder<T>,
    private readonly creation: ResourceCreation<T>,
  ) {
    this.clock = ctx.clock;
    this.ledger = ctx.ledger;
    this.life = ctx.life;
    this.maxSize = ctx.opts.maxSize;
  }

  /**
   * Starts an allocation that cannot complete synchronously, for `binding`'s session if given; `check` is a
   * resource being validated for it.
   */
  start(
    binding: SessionBinding<T> | null,
    sessionId: string | null,
    opts: AcquireOptions | undefined,
    check: WarmCheck<T> | null,
  ): Promise<SessionAllocation<T>> {
    const signal = opts?.signal;
    const pending = new PendingAllocation<T>(
      sessionId,
      binding !== null,
      opts?.timeoutMs ?? this.ctx.opts.acquireTimeoutMs,
      signal,
      this.clock.now(),
    );
    if (signal !== undefined) {
      pending.onAbort = () => this.aborted(pending);
      signal.addEventListener('abort', pending.onAbort, { once: true });
    }
    if (binding !== null) this.binder.allocating(binding, pending);
    if (check === null) this.advance(pending);
    else this.awaitCheck(pending, check);
    return pending.promise;
  }

  /**
   * A caller for a session whose allocation is under way: once that allocation settles it asks `again` (and finds
   * the session's resource: DEDICATED), or shares the allocation's failure, unless that allocation's own caller
   * aborted (then it asks again too). Its own `signal` cancels its own wait.
   */
  join(
    allocation: PendingAllocation<T>,
    again: () => Promise<SessionAllocation<T>>,
    signal: AbortSignal | undefined,
  ): Promise<SessionAllocation<T>> {
    const joined = allocation.promise.then(again, (error: unknown) => {
      if (allocation.abandoned) return again();
      throw error;
    });
    return signal === undefined ? joined : untilAborted(joined, signal);
  }

  /** Hands a free resource to the oldest waiter as `tier`; false when nobody waits. */
  handOver(slot: Slot<T>, tier: AllocationTier): boolean {
    const waiter = this.waiters.next();
    if (waiter === undefined) return false;
    this.complete(waiter, slot, tier);
    return true;
  }

  /** Capacity freed (destroy, failed factory call, the gate's wake): waiters at the cap may now create. */
  capacityFreed(): void {
    if (this.life.closed) return;
    this.gateShut = false;
    while (this.waiters.size > 0 && this.ledger.live < this.maxSize && !this.gateShut) {
      const pending = this.waiters.next();
      if (pending === undefined) break;
      this.createFor(pending);
    }
    this.refill.soon();
  }

  created(pending: PendingAllocation<T>, slot: Slot<T>): void {
    if (pending.state === PendingState.CREATING) this.complete(pending, slot, AllocationTier.COLD);
    // Its caller left; another waiter or the stack takes it.
    else this.recycling.placeFree(slot, AllocationTier.COLD, USED_NOW);
  }

  failed(pending: PendingAllocation<T>, error: unknown): void {
    this.fail(pending, error);
  }

  refused(pending: PendingAllocation<T> | null): void {
    if (pending !== null && pending.state === PendingState.CREATING) {
      this.inFlight.delete(pending);
      pending.state = PendingState.NEW;
      if (this.life.closed) this.fail(pending, new PoolClosedError(this.ctx.opts.name));
      else this.wait(pending);
    }
    this.gateShut = true;
  }

  /** Rejects the allocation's caller; a session that never got its resource is forgotten. */
  fail(pending: PendingAllocation<T>, error: unknown): void {
    if (pending.state === PendingState.DONE) return;
    this.finish(pending);
    this.binder.allocationFailed(pending);
    pending.reject(error);
  }

  /** Shutdown: every waiting allocation and every one with a factory call or check running fails with `error`. */
  shutDown(error: PoolClosedError): void {
    for (const pending of this.waiters.drain()) this.fail(pending, error);
    for (const pending of [...this.inFlight]) this.fail(pending, error);
  }

  /** Tries the warm stack, then the factory, then waits. */
  private advance(pending: PendingAllocation<T>): void {
    const warm = this.recycling.takeWarm();
    if (warm instanceof Slot) {
      this.complete(pending, warm, AllocationTier.WARM);
      this.refill.soon();
      return;
    }
    if (warm !== null) {
      this.awaitCheck(pending, warm);
      return;
    }
    if (this.ledger.live < this.maxSize) {
      this.createFor(pending);
      return;
    }
    this.wait(pending);
  }

  /**
   * Queues the allocation at the cap (FIFO) until capacity frees or its timeout, counted from when it first
   * started waiting, runs out. One the creation gate sent back returns to its place in the queue. If a session
   * is not using its resource, the least recently idle one is reclaimed for the oldest waiter at once (even for
   * an acquire that may not wait at all).
   */
  private wait(pending: PendingAllocation<T>): void {
    const now = this.clock.now();
    this.waiters.entered(pending, now);
    this.binder.reclaimForWaiter(now);
    if (pending.state !== PendingState.QUEUED) return; // served at once
    const remainingMs = pending.timeoutMs - (now - pending.queuedAt);
    if (remainingMs <= 0) {
      this.timedOut(pending);
      return;
    }
    this.ctx.events.emit({ kind: 'waiter-queued', waiting: this.waiters.size });
    if (Number.isFinite(remainingMs)) {
      pending.timer = this.clock.setTimeout(() => {
        if (pending.state === PendingState.QUEUED) this.timedOut(pending);
      }, remainingMs);
    }
  }

  /** Waits for an async validate(): a pass hands the resource over, a failure replaces it and tries again. */
  private awaitCheck(pending: PendingAllocation<T>, check: WarmCheck<T>): void {
    pending.state = PendingState.CHECKING;
    this.inFlight.add(pending);
    this.life.started();
    const slot = check.slot;
    void check.valid.then((valid) => {
      this.ledger.move(slot, SlotState.FLOATING);
      if (this.life.closed) this.disposal.destroy(slot);
      else if (!valid) {
        this.disposal.replace(slot, 'invalid');
        if (pending.state === PendingState.CHECKING) {
          this.inFlight.delete(pending);
          pending.state = PendingState.NEW;
          this.advance(pending);
        }
      } else if (pending.state === PendingState.CHECKING) {
        this.complete(pending, slot, check.tier);
        if (check.tier === AllocationTier.WARM) this.refill.soon();
      } else if (check.tier === AllocationTier.DEDICATED) {
        // The session's caller left (and with it the session): its resource comes back like a release.
        void this.recycling.returned(slot, USED_NOW);
      } else this.recycling.placeFree(slot, AllocationTier.WARM, NOT_USED);
      this.life.settled();
    });
  }

  private createFor(pending: PendingAllocation<T>): void {
    pending.state = PendingState.CREATING;
    this.inFlight.add(pending);
    void this.creation.create(pending);
  }

  /** Hands `slot` to the allocation's caller (binding it to its session, if it has one) as `tier`. */
  private complete(pending: PendingAllocation<T>, slot: Slot<T>, tier: AllocationTier): void {
    this.finish(pending);
    if (!this.binder.allocated(pending, slot)) this.ledger.move(slot, SlotState.OUT);
    this.ctx.stats.countAllocation(tier);
    this.ctx.events.allocated(tier, this.clock.now() - pending.startedAt, pending.sessionId);
    pending.resolve({ resource: slot.resource, tier });
  }

  private timedOut(pending: PendingAllocation<T>): void {
    this.ctx.stats.acquireTimeouts++;
    const waitedMs = pending.state === PendingState.QUEUED ? this.clock.now() - pending.queuedAt : 0;
    this.ctx.events.emit({ kind: 'acquire-timeout', waitedMs });
    this.fail(pending, new PoolTimeoutError(this.ctx.opts.name, pending.timeoutMs));
  }

  /** The caller aborted: the allocation is cancelled (a factory call or check still running delivers to the pool). */
  private aborted(pending: PendingAllocation<T>): void {
    if (pending.state === PendingState.DONE) return;
    pending.abandoned = true;
    this.fail(pending, (pending.signal as AbortSignal).reason);
  }

  /** Marks the allocation DONE and undoes its waiter-queue/in-flight/timer/abort-listener bookkeeping (O(1)). */
  private finish(pending: PendingAllocation<T>): void {
    if (pending.state === PendingState.QUEUED) this.waiters.left();
    else if (pending.state === PendingState.CREATING || pending.state === PendingState.CHECKING) {
      this.inFlight.delete(pending);
    }
    pending.state = PendingState.DONE;
    if (pending.timer !== null) {
      this.clock.clearTimeout(pending.timer);
      pending.timer = null;
    }
    if (pending.onAbort !== null) {
      (pending.signal as AbortSignal).removeEventListener('abort', pending.onAbort);
      pending.onAbort = null;
    }
  }
}
