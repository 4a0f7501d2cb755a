import { AllocationTier } from './allocation-tier';
import type { CreationGate } from './creation-gate';
import type { FactoryBackoff } from './factory-backoff';
import type { PendingAllocation } from './pending-allocation';
import type { PoolContext } from './pool-context';
import { PoolClosedError } from './pool-errors';
import type { PoolLifecycle } from './pool-lifecycle';
import type { Slot } from './pool-slot';
import { USED_NOW, type Recycling } from './recycling';
import { rejectWith } from './rejections';
import type { ResourceDisposal } from './resource-disposal';
import { RESOLVED } from './settled-promises';
import type { SlotLedger } from './slot-ledger';
import type { WarmRefill } from './warm-refill';

/** Where a creation for a caller reports its outcome (the allocation slow path). */
export interface CreationOutcomes<T> {
  /** The factory delivered `slot` (FLOATING) for `pending`, whose caller may have left meanwhile. */
  created(pending: PendingAllocation<T>, slot: Slot<T>): void;
  /** The creation for `pending` failed (or the pool shut down meanwhile): its caller is rejected with `error`. */
  failed(pending: PendingAllocation<T>, error: unknown): void;
  /** The creation gate refused a creation for `pending` (it waits as at the cap), or a refill (null). */
  refused(pending: PendingAllocation<T> | null): void;
  /** A failed factory call gave its place under maxSize back. */
  capacityFreed(): void;
}

/**
 * Creates resources: the creation gate's take first (if there is one), then the factory call, then placement (to
 * the caller it was made for, or warmed and onto the warm stack). Keeps the factory's failure streak in
 * {@link FactoryBackoff} (which paces the refill) and gives a take back to the gate for every factory call that
 * failed after taking. A place under maxSize is held in the ledger from the first step, since the gate's answer
 * may take a round trip.
 */
export class ResourceCreation<T> {
  private readonly ledger: SlotLedger<T>;
  private readonly life: PoolLifecycle;
  private readonly factory: () => Promise<T>;
  private readonly gate: CreationGate | null;
  private readonly backoff: FactoryBackoff;

  constructor(
    private readonly ctx: PoolContext<T>,
    private readonly refill: WarmRefill,
    private readonly recycling: Recycling<T>,
    private readonly disposal: ResourceDisposal<T>,
    private readonly outcomes: CreationOutcomes<T>,
  ) {
    this.ledger = ctx.ledger;
    this.life = ctx.life;
    this.factory = ctx.opts.factory;
    this.gate = ctx.opts.creationGate;
    this.backoff = refill.backoff;
  }

  /**
   * Creates a resource for `pending` (COLD) or for the warm stack (null). Resolves when the result is placed (for
   * the warm stack: warmed and placed).
   */
  create(pending: PendingAllocation<T> | null): Promise<void> {
    this.ledger.startCreating();
    this.life.started();
    const gate = this.gate;
    if (gate === null) return this.callFactory(pending);
    let taken: boolean | Promise<boolean>;
    try {
      taken = gate.tryTake(pending === null ? 'refill' : 'acquire');
    } catch {
      taken = false;
    }
    if (taken === true) return this.callFactory(pending);
    if (taken === false) {
      this.gateRefused(pending);
      return RESOLVED;
    }
    return Promise.resolve(taken).then(
      (ok) => (ok === true ? this.callFactory(pending) : this.gateRefused(pending)),
      () => this.gateRefused(pending),
    );
  }

  /** The gate said no: the held place is freed; an acquire waits as at the cap, a refill is skipped. */
  private gateRefused(pending: PendingAllocation<T> | null): void {
    this.ledger.creationFailed();
    if (pending === null) this.refill.settled();
    this.outcomes.refused(pending);
    this.life.settled();
  }

  private callFactory(pending: PendingAllocation<T> | null): Promise<void> {
    if (this.life.closed && this.gate !== null) {
      // Shut down while the gate answered: give the take back instead of creating for nobody.
      this.gate.release();
      this.ledger.creationFailed();
      if (pending === null) this.refill.settled();
      this.life.settled();
      return RESOLVED;
    }
    let made: Promise<T>;
    try {
      made = Promise.resolve(this.factory());
    } catch (error) {
      made = rejectWith(error);
    }
    return made.then(
      (resource) => this.created(resource, pending),
      (error: unknown) => this.failed(error, pending),
    );
  }

  private created(resource: T, pending: PendingAllocation<T> | null): Promise<void> | void {
    if (this.ledger.has(resource)) {
      // Keeping one resource twice would hand it to two callers and destroy it twice.
      return this.failed(new Error('factory returned a resource that is already in the pool'), pending);
    }
    const slot = this.ledger.add(resource);
    if (pending === null) this.refill.settled();
    const streak = this.backoff.succeeded();
    if (streak > 0) {
      this.ctx.events.emit({ kind: 'factory-recovered', afterFailures: streak });
      this.refill.soon(true);
    }

    if (this.life.closed) {
      this.disposal.destroy(slot);
      if (pending !== null) this.outcomes.failed(pending, new PoolClosedError(this.ctx.opts.name));
    } else if (pending === null) {
      if (this.ctx.opts.warmFn !== null) return this.recycling.warmNew(slot);
      this.recycling.placeFree(slot, AllocationTier.WARM, USED_NOW);
    } else {
      this.outcomes.created(pending, slot);
    }
    this.life.settled();
  }

  private failed(error: unknown, pending: PendingAllocation<T> | null): void {
    this.ledger.creationFailed();
    this.gate?.release(); // every factory call was preceded by a granted take
    if (pending === null) this.refill.settled();
    this.ctx.stats.factoryFailures++;
    const backoffMs = this.backoff.failed(error, this.ctx.clock.now());
    this.ctx.events.emit({
      kind: 'factory-failed',
      error,
      consecutiveFailures: this.backoff.consecutiveFailures,
      backoffMs,
    });
    if (pending !== null) this.outcomes.failed(pending, error);
    if (!this.life.closed) {
      this.outcomes.capacityFreed();
      if (pending === null) this.refill.soon();
    }
    this.life.settled();
  }
}
