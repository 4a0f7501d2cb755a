import type { PendingAllocation } from './pending-allocation';
import type { Slot } from './pool-slot';

/** A session's cached resource, or the allocation every concurrent caller for that session shares. */
export class SessionEntry<T> {
  slot: Slot<T> | null = null;
  pending: PendingAllocation<T> | null = null;

  constructor(
    readonly id: string,
    /** Clock time of the last acquireForSession(); maintenance evicts sessions idle for sessionMaxAgeMs. */
    public lastUsed: number,
  ) {}
}
