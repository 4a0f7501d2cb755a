import type { AllocationTier } from './allocation-tier';
import type { Slot } from './pool-slot';

/**
 * A resource whose validate() answered with a promise while it was being handed out: the allocation waits for
 * the answer (slow path), the slot counting as in use meanwhile. `tier` is what the caller gets if it passes.
 */
export class WarmCheck<T> {
  constructor(
    readonly slot: Slot<T>,
    readonly valid: Promise<boolean>,
    readonly tier: AllocationTier,
  ) {}
}
