import { AllocationTier } from './allocation-tier';
import type { Clock } from './clock';
import { longestUnusedFirst, staleWarm, surplusWarm } from './idle-policy';
import type { PoolContext } from './pool-context';
import type { PoolLifecycle } from './pool-lifecycle';
import { SlotState, type Slot } from './pool-slot';
import type { ResolvedPoolOptions } from './resolve-pool-options';
import { clearSessionState, isPromiseLike } from './resource-defaults';
import type { ResourceDisposal } from './resource-disposal';
import { RESOLVED as SHARED_RESOLVED } from './settled-promises';
import type { SlotLedger } from './slot-ledger';
import { WarmCheck } from './warm-check';

// Module-local aliases: on the hot release path an imported binding costs a module-object load per use, and the
// bytecode it adds counts against the JIT's inlining budget.
const RESOLVED = SHARED_RESOLVED;

/** `usedAt` of a resource that comes back from use (or was just created) now: read the clock only if it stamps. */
export const USED_NOW = -1;
/** `usedAt` of a resource that did not come back from a caller (it was re-warmed): its unused time goes on. */
export const NOT_USED = -2;

/**
 * The pool's validate() hook, called safely (the warm pop, the DEDICATED hand-out, a return): true/false when it
 * answers synchronously (the hot path), else a promise that never rejects. A throw or a rejection is invalid.
 */
export function checkValid<T>(
  validate: (resource: T) => boolean | Promise<boolean>,
  resource: T,
): boolean | Promise<boolean> {
  let result: boolean | Promise<boolean>;
  try {
    result = validate(resource);
  } catch {
    return false;
  }
  if (result === true || result === false) return result;
  if (isPromiseLike(result)) {
    return Promise.resolve(result).then(
      (valid) => valid === true,
      () => false,
    );
  }
  return Boolean(result);
}

/**
 * The warm stack's traffic and freshness: the warm pop, resources coming back (session state cleared, validated,
 * then to a waiter, the warm stack or away), warming new ones, and maintenance's re-warming of stale ones and
 * trimming of unused extras. Broken ones are replaced through {@link ResourceDisposal}. The stack itself and its
 * timestamps are the ledger's and the slots' data; the rules for which resources are stale or surplus are the pure
 * functions of idle-policy.ts.
 */
export class Recycling<T> {
  private readonly opts: ResolvedPoolOptions<T>;
  private readonly clock: Clock;
  private readonly ledger: SlotLedger<T>;
  private readonly life: PoolLifecycle;
  private readonly validate: (resource: T) => boolean | Promise<boolean>;
  private readonly warmMax: number;
  /** Warm-stack timestamps are read only for re-warming (maxIdleMs) and trimming; otherwise no clock is read. */
  private readonly stampsWarm: boolean;
  private readonly trims: boolean;

  constructor(
    private readonly ctx: PoolContext<T>,
    private readonly disposal: ResourceDisposal<T>,
    /** The waiters at the cap (their count is read on every return, which is the hot release path). */
    private readonly waiters: { readonly size: number },
    /** Hands a free resource to the oldest waiter as `tier`; false if there was none after all. */
    private readonly handOver: (slot: Slot<T>, tier: AllocationTier) => boolean,
  ) {
    this.opts = ctx.opts;
    this.clock = ctx.clock;
    this.ledger = ctx.ledger;
    this.life = ctx.life;
    this.validate = ctx.opts.validate;
    this.warmMax = ctx.opts.warmMaxSize;
    this.trims = this.warmMax > ctx.opts.warmPoolSize && Number.isFinite(ctx.opts.trimIdleMs);
    this.stampsWarm = this.trims || Number.isFinite(ctx.opts.maxIdleMs);
  }

  /**
   * The one warm pop. The top of the warm stack if it validates synchronously (still on the stack: the caller
   * moves it at once); broken ones on the way are replaced; a resource whose validate() answers with a promise
   * comes back as a {@link WarmCheck} (already counted as in use); null when the stack is empty.
   */
  takeWarm(): Slot<T> | WarmCheck<T> | null {
    for (let slot = this.ledger.topWarm(); slot !== undefined; slot = this.ledger.topWarm()) {
      const valid = checkValid(this.validate, slot.resource);
      if (valid === true) return slot;
      if (valid === false) {
        this.disposal.replace(slot, 'invalid');
        continue;
      }
      this.ledger.move(slot, SlotState.CHECKING);
      return new WarmCheck(slot, valid, AllocationTier.WARM);
    }
    return null;
  }

  /**
   * A resource came back (FLOATING: a release, a session's end, a take-back), last used at `usedAt`: session
   * state cleared, validated, then placed (see {@link placeFree}) or destroyed. Single-use resources and those
   * returned after shutdown are destroyed.
   */
  returned(slot: Slot<T>, usedAt: number): Promise<void> {
    if (this.life.closed || !this.opts.reusable) {
      this.disposal.destroy(slot);
      return RESOLVED;
    }
    if (this.opts.creationGate?.reclaim?.() === true) {
      this.trimmed(slot); // its budget is owed elsewhere (e.g. to another process sharing it)
      return RESOLVED;
    }
    let cleared: unknown;
    try {
      cleared = clearSessionState(slot.resource);
    } catch {
      this.disposal.replace(slot, 'invalid');
      return RESOLVED;
    }
    if (isPromiseLike(cleared)) {
      const check = Promise.resolve(cleared).then(
        () => checkValid(this.validate, slot.resource),
        () => false,
      );
      return this.checked(slot, check, usedAt);
    }
    const valid = checkValid(this.validate, slot.resource);
    if (valid === true) {
      this.placeFree(slot, AllocationTier.WARM, usedAt);
      return RESOLVED;
    }
    if (valid === false) {
      this.disposal.replace(slot, 'invalid');
      return RESOLVED;
    }
    return this.checked(slot, valid, usedAt);
  }

  /**
   * A free (FLOATING) resource goes to the oldest waiter, else onto the warm stack if below warmMaxSize, else away.
   * `usedAt`: when it was created or last used by a caller (its unused time, which trimming reads, and its idle
   * time, which re-warming reads, start there; USED_NOW for now), or NOT_USED when it was just re-warmed (only its
   * idle time restarts).
   */
  placeFree(slot: Slot<T>, tier: AllocationTier, usedAt: number): void {
    if (this.life.closed) {
      this.disposal.destroy(slot);
      return;
    }
    if (this.waiters.size !== 0 && this.handOver(slot, tier)) return;
    if (this.ledger.idle >= this.warmMax) {
      this.disposal.destroy(slot);
      return;
    }
    if (this.stampsWarm) {
      if (usedAt === NOT_USED) slot.warmSince = this.clock.now();
      else {
        const at = usedAt === USED_NOW ? this.clock.now() : usedAt;
        slot.warmSince = at;
        slot.unusedSince = at;
      }
    }
    this.ledger.move(slot, SlotState.WARM);
  }

  /**
   * A background creation delivered `slot` (FLOATING): it is warmed, then placed, and the creation's work settles
   * in the lifecycle. A failed warm-up is counted but the resource is still used.
   */
  warmNew(slot: Slot<T>): Promise<void> {
    this.ledger.move(slot, SlotState.REFRESHING);
    return this.warm(slot).then(() => {
      this.ledger.move(slot, SlotState.FLOATING);
      this.placeFree(slot, AllocationTier.WARM, USED_NOW);
      this.life.settled();
    });
  }

  /**
   * Closes warm extras above the warm size unused for trimIdleMs (see idle-policy.ts). Only the warm stack is
   * looked at: session resources come here through the idle policy first.
   */
  trimSurplus(now: number): void {
    const target = this.opts.warmPoolSize;
    if (!this.trims || this.ledger.idle <= target) return;
    const surplus = surplusWarm(this.ledger.warmSlots(), this.ledger.idle, target, now, this.opts.trimIdleMs);
    for (const slot of surplus) this.trimmed(slot);
  }

  /** Closes up to `count` warm resources, longest unused first (for trimIdle()); returns how many. */
  trimWarm(count: number): number {
    let closed = 0;
    if (this.ledger.warm === 0) return closed;
    for (const slot of longestUnusedFirst(this.ledger.warmSlots())) {
      if (closed >= count) break;
      this.trimmed(slot);
      closed++;
    }
    return closed;
  }

  /** Takes warm resources idle for maxIdleMs off the stack and re-validates and re-warms them. */
  refreshStale(now: number): Promise<void>[] {
    if (!Number.isFinite(this.opts.maxIdleMs) || this.ledger.warm === 0) return [];
    return staleWarm(this.ledger.warmSlots(), now, this.opts.maxIdleMs).map((slot) => this.refresh(slot));
  }

  private trimmed(slot: Slot<T>): void {
    this.ctx.stats.resourcesTrimmed++;
    this.disposal.destroy(slot);
  }

  private async refresh(slot: Slot<T>): Promise<void> {
    this.ledger.move(slot, SlotState.REFRESHING);
    this.life.started();
    let problem: 'invalid' | 'idle' | null = null;
    if (!(await checkValid(this.validate, slot.resource))) problem = 'invalid';
    else if (!(await this.warm(slot))) problem = 'idle';
    this.ledger.move(slot, SlotState.FLOATING);
    if (this.life.closed) this.disposal.destroy(slot);
    else if (problem !== null) this.disposal.replace(slot, problem);
    else this.placeFree(slot, AllocationTier.WARM, NOT_USED);
    this.life.settled();
  }

  /** Waits for the clearing and validation of a returned resource, then places, replaces or destroys it. */
  private checked(slot: Slot<T>, check: Promise<boolean>, usedAt: number): Promise<void> {
    this.ledger.move(slot, SlotState.REFRESHING);
    this.life.started();
    return check.then((valid) => {
      this.ledger.move(slot, SlotState.FLOATING);
      if (this.life.closed) this.disposal.destroy(slot);
      else if (valid) this.placeFree(slot, AllocationTier.WARM, usedAt);
      else this.disposal.replace(slot, 'invalid');
      this.life.settled();
    });
  }

  /** Runs warmFn (none: warm); a failure or `false` is counted and reported. */
  private async warm(slot: Slot<T>): Promise<boolean> {
    const warmFn = this.opts.warmFn;
    if (warmFn === null) return true;
    let warmed = false;
    let failure: unknown = new Error('warmFn returned false');
    try {
      warmed = (await warmFn(slot.resource)) === true;
    } catch (error) {
      failure = error;
    }
    if (!warmed) {
      this.ctx.stats.warmupFailures++;
      this.ctx.events.emit({ kind: 'warmup-failed', error: failure });
    }
    return warmed;
  }
}
