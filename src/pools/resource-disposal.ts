import type { CreationGate } from './creation-gate';
import type { PoolContext } from './pool-context';
import type { PoolEventHub } from './pool-event-hub';
import type { PoolLifecycle } from './pool-lifecycle';
import { SlotState, type Slot } from './pool-slot';
import { isPromiseLike } from './resource-defaults';
import type { SlotLedger } from './slot-ledger';

/**
 * Closes resources, each exactly once whatever state it is in, and frees its capacity: the place under maxSize at
 * once, a creation gate's take once the resource is really gone (its socket closed), not before. Then
 * `capacityFreed` lets waiters at the cap create (and the warm stack refill).
 */
export class ResourceDisposal<T> {
  private readonly ledger: SlotLedger<T>;
  private readonly events: PoolEventHub;
  private readonly life: PoolLifecycle;
  private readonly destroyHook: (resource: T) => Promise<void> | void;
  private readonly gate: CreationGate | null;

  constructor(
    ctx: PoolContext<T>,
    private readonly capacityFreed: () => void,
  ) {
    this.ledger = ctx.ledger;
    this.events = ctx.events;
    this.life = ctx.life;
    this.destroyHook = ctx.opts.destroy;
    this.gate = ctx.opts.creationGate;
  }

  /** The resource failed validation or re-warming: reported and destroyed (the refill replaces it if needed). */
  replace(slot: Slot<T>, reason: 'invalid' | 'idle'): void {
    this.events.emit({ kind: 'resource-replaced', reason });
    this.destroy(slot);
  }

  /**
   * Destroys a resource exactly once, whatever its state. A destroy that throws or rejects still counts as
   * destroyed and is reported, never retried: retrying a half-closed client risks double frees.
   */
  destroy(slot: Slot<T>): void {
    if (slot.state === SlotState.DESTROYED) return;
    this.ledger.move(slot, SlotState.DESTROYED);
    const gate = this.gate;
    try {
      const done = this.destroyHook(slot.resource);
      if (isPromiseLike(done)) {
        this.life.started();
        const gone = (): void => {
          if (gate !== null) {
            gate.release();
            this.capacityFreed();
          }
          this.life.settled();
        };
        Promise.resolve(done).then(gone, (error: unknown) => {
          this.events.emit({ kind: 'destroy-failed', error });
          gone();
        });
        if (gate === null) this.capacityFreed();
        return;
      }
    } catch (error) {
      this.events.emit({ kind: 'destroy-failed', error });
    }
    gate?.release();
    this.capacityFreed();
  }
}
