/** Opaque handle returned by {@link Clock.setTimeout}; only the clock that made it can clear it. */
export type ClockTimer = object;

/**
 * The pool's only source of time. Injected so tests can drive timeouts, backoff and maintenance without real
 * sleeps; `now()` is epoch milliseconds (snapshot timestamps use it).
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

/** Node caps timer delays at 2^31-1 ms; longer delays would silently fire after 1 ms. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** Constant for the process; read once because the getter costs about as much as performance.now() itself. */
const TIME_ORIGIN = performance.timeOrigin;

/**
 * Wall-clock time with `unref`'d timers, so a pool never keeps the process alive. `now()` has sub-millisecond
 * resolution (allocation latencies are often below 1 ms); snapshot timestamps round it.
 */
export const systemClock: Clock = {
  now: () => TIME_ORIGIN + performance.now(),
  setTimeout(callback: () => void, ms: number): ClockTimer {
    const timer = setTimeout(callback, Math.min(Math.max(ms, 0), MAX_TIMER_DELAY_MS));
    timer.unref();
    return timer;
  },
  clearTimeout(timer: ClockTimer): void {
    // Only handles made by setTimeout above reach here.
    clearTimeout(timer as NodeJS.Timeout);
  },
};
