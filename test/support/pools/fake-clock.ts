import type { Clock, ClockTimer } from '../../../src/pools/clock';

interface FakeTimer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/**
 * A manual clock for tests: time only moves with advance(), timers run in due order (ties in creation order),
 * including timers scheduled by other timers within the advanced window.
 */
export class FakeClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, FakeTimer>();

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const timer: FakeTimer = { id: this.nextId++, due: this.time + Math.max(0, ms), callback };
    this.timers.set(timer.id, timer);
    return timer;
  }

  clearTimeout(timer: ClockTimer): void {
    this.timers.delete((timer as FakeTimer).id);
  }

  /** Timers not yet run or cleared. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Delays (from now) of the pending timers, sorted. */
  pendingDelays(): number[] {
    return [...this.timers.values()].map((t) => t.due - this.time).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: FakeTimer | undefined;
      for (const timer of this.timers.values()) {
        if (timer.due <= end && (next === undefined || timer.due < next.due)) next = timer;
      }
      if (next === undefined) break;
      this.timers.delete(next.id);
      this.time = next.due;
      next.callback();
    }
    this.time = end;
  }
}

/** Lets every pending promise callback run (one macrotask turn; not a wall-clock wait). */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
