import { Slot, SlotState, SLOT_STATE_COUNT } from './pool-slot';

/**
 * Owns every slot of a pool: the resource → slot index, the warm stack and the count of slots in each state. A
 * slot changes state only through {@link move}, which updates the counts (and the stack) in the same step, so the
 * books cannot drift: `created - destroyed` is always the number of slots, and idle + in use add up to it.
 *
 * The warm stack hands out its top (the most recently returned resource, the most likely to still be connected);
 * its bottom holds the ones unused the longest.
 */
export class SlotLedger<T> {
  private readonly byResource = new Map<T, Slot<T>>();
  private readonly warmStack: Slot<T>[] = [];
  private readonly counts = new Array<number>(SLOT_STATE_COUNT).fill(0);
  /** Factory calls in flight: they count against maxSize before their slot exists. */
  private creatingCount = 0;
  private createdCount = 0;
  private destroyedCount = 0;

  get created(): number {
    return this.createdCount;
  }

  get destroyed(): number {
    return this.destroyedCount;
  }

  /** Resources that exist plus those being created: what maxSize caps. */
  get live(): number {
    return this.byResource.size + this.creatingCount;
  }

  /** Resources on the warm stack. */
  get warm(): number {
    return this.warmStack.length;
  }

  /** Idle resources: on the warm stack or being warmed/re-validated/recycled by the pool. */
  get idle(): number {
    return this.warmStack.length + this.counts[SlotState.REFRESHING];
  }

  /** Resources handed out: plain acquires, session-bound, and those being validated for an acquirer. */
  get inUse(): number {
    return this.counts[SlotState.OUT] + this.counts[SlotState.SESSION] + this.counts[SlotState.CHECKING];
  }

  get(resource: T): Slot<T> | undefined {
    return this.byResource.get(resource);
  }

  has(resource: T): boolean {
    return this.byResource.has(resource);
  }

  /** A factory call starts; it holds a place under maxSize until {@link add} or {@link creationFailed}. */
  startCreating(): void {
    this.creatingCount++;
  }

  creationFailed(): void {
    this.creatingCount--;
  }

  /** A factory call delivered `resource` (which must be new to the ledger): a FLOATING slot. */
  add(resource: T): Slot<T> {
    this.creatingCount--;
    this.createdCount++;
    const slot = new Slot(resource);
    this.byResource.set(resource, slot);
    this.counts[SlotState.FLOATING]++;
    return slot;
  }

  /** The top of the warm stack (the next to hand out), still on the stack. */
  topWarm(): Slot<T> | undefined {
    return this.warmStack[this.warmStack.length - 1];
  }

  /** The warm stack, bottom (unused longest) to top. Read-only: change it through {@link move}. */
  warmSlots(): readonly Slot<T>[] {
    return this.warmStack;
  }

  /**
   * The one way a slot changes state. Leaving WARM takes the slot off the stack (O(1) from the top, which is where
   * hand-outs take it; maintenance sweeps remove from anywhere); entering WARM pushes it on top; DESTROYED drops
   * it from the ledger and counts it as destroyed. Moving a destroyed slot is a bug in the pool.
   */
  move(slot: Slot<T>, to: SlotState): void {
    const from = slot.state;
    if (from === SlotState.DESTROYED) throw new Error('pool bug: a destroyed slot cannot move');
    if (from === SlotState.WARM) this.unstack(slot);
    this.counts[from]--;
    this.counts[to]++;
    slot.state = to;
    if (to === SlotState.WARM) this.warmStack.push(slot);
    else if (to === SlotState.DESTROYED) {
      this.byResource.delete(slot.resource);
      this.destroyedCount++;
    }
  }

  private unstack(slot: Slot<T>): void {
    const last = this.warmStack.length - 1;
    if (this.warmStack[last] === slot) {
      this.warmStack.pop();
      return;
    }
    const at = this.warmStack.indexOf(slot);
    if (at >= 0) this.warmStack.splice(at, 1);
  }
}
