import type { EventEmitter } from 'node:events';

/** The timer the deadline runs on (the pools' Clock fits; tests pass a fake one). */
export interface DeadlineTimers {
  setTimeout(callback: () => void, ms: number): object;
  clearTimeout(timer: object): void;
}

/** Node's own timers, unref'd: the deadline never keeps the process alive by itself. */
const nodeTimers: DeadlineTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

export interface ExitDeadlineOptions {
  /** SHUTDOWN_TIMEOUT: from the first signal to the forced exit. */
  deadlineMs: number;
  /** Called once when the deadline passes: log, then exit. */
  onExpired: () => void;
  /** Where the signals come from (the process). */
  signals: EventEmitter;
  clock?: DeadlineTimers;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * A hard deadline on shutdown: from the first SIGTERM or SIGINT, the process gets `deadlineMs` to close cleanly,
 * then `onExpired` ends it, whatever still holds it open (a hook that hangs, an upstream that does not answer),
 * so that a pod always exits within its grace period. The timer is unref'd: a clean exit is never delayed by it.
 * Returns a function that disarms it.
 */
export function armExitDeadline(options: ExitDeadlineOptions): () => void {
  const clock = options.clock ?? nodeTimers;
  let timer: object | null = null;
  const start = (): void => {
    timer ??= clock.setTimeout(options.onExpired, options.deadlineMs);
  };
  for (const signal of SIGNALS) options.signals.once(signal, start);
  return () => {
    for (const signal of SIGNALS) options.signals.removeListener(signal, start);
    if (timer !== null) clock.clearTimeout(timer);
  };
}
