import type { Clock } from './clock';
import { FifoQueue } from './fifo-queue';
import { PendingState, type PendingAllocation } from './pending-allocation';

/**
 * The allocations waiting at the cap, oldest first. An allocation the creation gate sent back returns to its place
 * (by order of first arrival). Leaving early (timeout, abort, failure) is O(1): the entry is only marked.
 */
export class WaiterQueue<T> {
  private readonly queue = new FifoQueue<PendingAllocation<T>>((p) => p.state === PendingState.QUEUED);
  private count = 0;
  private arrivals = 0;

  constructor(private readonly clock: Clock) {}

  /** Live waiters. */
  get size(): number {
    return this.count;
  }

  /** Queues the allocation (state QUEUED); its first wait stamps its arrival and the start of its timeout. */
  entered(pending: PendingAllocation<T>, now: number): void {
    const returning = pending.arrival !== 0;
    if (!returning) {
      pending.queuedAt = now;
      pending.arrival = ++this.arrivals;
    }
    pending.state = PendingState.QUEUED;
    this.count++;
    if (returning) this.queue.insertOrdered(pending, (a, b) => a.arrival < b.arrival);
    else this.queue.push(pending);
  }

  /** A queued allocation left early (its state is about to change): skipped later. */
  left(): void {
    this.count--;
    this.queue.markedDead();
  }

  /** The oldest live waiter, out of the queue (state NEW, its timer stopped), or undefined. */
  next(): PendingAllocation<T> | undefined {
    if (this.count === 0) return undefined;
    const pending = this.queue.shiftLive();
    if (pending === undefined) return undefined;
    this.count--;
    pending.state = PendingState.NEW;
    if (pending.timer !== null) {
      this.clock.clearTimeout(pending.timer);
      pending.timer = null;
    }
    return pending;
  }

  /** Takes every live waiter out (state NEW), oldest first. */
  drain(): PendingAllocation<T>[] {
    const all = this.queue.drain();
    this.count = 0;
    for (const pending of all) pending.state = PendingState.NEW;
    return all;
  }
}
