import type { Clock } from './clock';
import { sessionExpiresAt } from './idle-policy';
import type { PendingAllocation } from './pending-allocation';
import type { PoolContext } from './pool-context';
import type { SessionEvictionReason } from './pool-observer';
import { SlotState, type Slot } from './pool-slot';
import type { Recycling } from './recycling';
import type { ResourceDisposal } from './resource-disposal';
import type { SessionBinding, SessionBindings } from './session-bindings';
import type { SlotLedger } from './slot-ledger';

/**
 * Binds resources to sessions and lets them go: the one owner of what happens to a session's resource besides its
 * DEDICATED hand-out (which the pool does inline: it is the hot path). The books are {@link SessionBindings};
 * when a session loses its resource (idle policy, reclaim at the cap, hand-over, trimIdle) it is forgotten,
 * reported as `session-evicted`, and its resource comes back through {@link Recycling} or is closed.
 */
export class SessionBinder<T> {
  /** Sessions expire by age (sessionMaxAgeMs finite): each acquire is stamped. */
  readonly stampsAcquire: boolean;
  /** Maintenance looks at session bindings (some idle limit is finite). */
  private readonly expires: boolean;
  private readonly clock: Clock;
  private readonly ledger: SlotLedger<T>;

  constructor(
    private readonly ctx: PoolContext<T>,
    private readonly sessions: SessionBindings<T>,
    private readonly recycling: Recycling<T>,
    private readonly disposal: ResourceDisposal<T>,
  ) {
    const { sessionAwareness, sessionMaxAgeMs, maxIdleMs } = ctx.opts;
    this.stampsAcquire = sessionAwareness && Number.isFinite(sessionMaxAgeMs);
    this.expires = this.stampsAcquire || (sessionAwareness && Number.isFinite(maxIdleMs));
    this.clock = ctx.clock;
    this.ledger = ctx.ledger;
  }

  /** A session without a binding asks for a resource. */
  opened(sessionId: string): SessionBinding<T> {
    return this.sessions.opened(sessionId, this.acquireStamp());
  }

  /** `slot` becomes the session's (it is using it). */
  bind(binding: SessionBinding<T>, slot: Slot<T>): void {
    this.ledger.move(slot, SlotState.SESSION);
    this.sessions.bound(binding, slot, this.acquireStamp());
  }

  /** An allocation starts for the session (concurrent callers for it join that allocation). */
  allocating(binding: SessionBinding<T>, pending: PendingAllocation<T>): void {
    this.sessions.allocating(binding, pending);
  }

  /**
   * An allocation for a session delivered `slot`: bound if the session still waits for that allocation (true),
   * else the caller gets it unbound (false: the session ended or was replaced meanwhile).
   */
  allocated(pending: PendingAllocation<T>, slot: Slot<T>): boolean {
    const binding = pending.bindsSession ? this.sessions.get(pending.sessionId as string) : undefined;
    if (binding === undefined || binding.allocation !== pending) return false;
    this.bind(binding, slot);
    return true;
  }

  /** An allocation for a session failed or was cancelled: a session that never got its resource is forgotten. */
  allocationFailed(pending: PendingAllocation<T>): void {
    if (!pending.bindsSession) return;
    const binding = this.sessions.get(pending.sessionId as string);
    if (binding === undefined || binding.allocation !== pending) return;
    binding.allocation = null;
    if (binding.slot === null) this.sessions.closed(binding);
  }

  /**
   * An acquire is about to wait at the cap: the least recently idle session's resource, if any, is taken back
   * for it (it reaches the oldest waiter through recycling).
   */
  reclaimForWaiter(now: number): void {
    const idle = this.sessions.leastRecentlyIdle();
    if (idle !== undefined) void this.takeBack(idle, 'reclaimed', now, idle.idleSince ?? now);
  }

  /**
   * Takes a session's resource back like a release (cleared, validated, then to the oldest waiter or the warm
   * stack): the session is forgotten and gets WARM or COLD next time. `usedAt` is when it was last used.
   */
  takeBack(
    binding: SessionBinding<T>,
    reason: SessionEvictionReason,
    now: number,
    usedAt: number,
  ): Promise<void> {
    const slot = this.letGo(binding, reason, now);
    this.ledger.move(slot, SlotState.FLOATING);
    return this.recycling.returned(slot, usedAt);
  }

  /** The idle policy for sessions (see idle-policy.ts); the returned promises settle once the resources are placed. */
  expire(now: number): Promise<void>[] {
    if (!this.expires || this.sessions.size === 0) return [];
    const { sessionMaxAgeMs, maxIdleMs } = this.ctx.opts;
    const work: Promise<void>[] = [];
    for (const binding of this.sessions.all()) {
      if (binding.slot === null || now < sessionExpiresAt(binding, sessionMaxAgeMs, maxIdleMs)) continue;
      this.ctx.stats.staleSessionsEvicted++;
      // A resource whose session never said it was idle may have been used until now.
      work.push(this.takeBack(binding, 'idle', now, binding.idleSince ?? now));
    }
    return work;
  }

  /** Closes up to `count` idle sessions' resources, least recently idle first (for trimIdle()); returns how many. */
  trimIdle(count: number, now: number): number {
    let closed = 0;
    for (const binding of this.sessions.idleBindings()) {
      if (closed >= count) break;
      const slot = this.letGo(binding, 'trimmed', now);
      this.ctx.stats.resourcesTrimmed++;
      this.disposal.destroy(slot);
      closed++;
    }
    return closed;
  }

  /** Forgets a bound session and reports it; returns its resource (still in state SESSION). */
  private letGo(binding: SessionBinding<T>, reason: SessionEvictionReason, now: number): Slot<T> {
    const slot = binding.slot as Slot<T>;
    const idleMs = now - (binding.idleSince ?? binding.acquiredAt);
    this.sessions.closed(binding);
    this.ctx.events.emit({ kind: 'session-evicted', sessionId: binding.id, idleMs, reason });
    return slot;
  }

  /** The clock time a session's acquire is stamped with (0 when nothing reads it). */
  private acquireStamp(): number {
    return this.stampsAcquire ? this.clock.now() : 0;
  }
}
