import type { ClockTimer } from './clock';
import type { SessionAllocation } from './resource-pool';
import type { SessionEntry } from './session-entry';

export const PendingState = {
  /** Not queued and no async step running (only inside synchronous code). */
  NEW: 0,
  /** In the waiter queue, at the cap. */
  QUEUED: 1,
  /** A factory call runs for it. */
  CREATING: 2,
  /** An async validate() of a warm resource runs for it. */
  CHECKING: 3,
  /** Served, failed or cancelled; late results go back to the pool. */
  DONE: 4,
} as const;
export type PendingState = (typeof PendingState)[keyof typeof PendingState];

/** One caller awaiting an allocation (several share one allocation for the same new session). */
export interface Caller<T> {
  resolve(allocation: SessionAllocation<T>): void;
  reject(error: unknown): void;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | null;
  live: boolean;
  readonly startedAt: number;
}

/** An acquire that could not be served synchronously (slow path only; the hot path allocates none of this). */
export class PendingAllocation<T> {
  state: PendingState = PendingState.NEW;
  readonly callers: Caller<T>[] = [];
  liveCallers = 0;
  timer: ClockTimer | null = null;
  /** When it first started waiting at the cap; its timeout counts from here. */
  queuedAt = 0;
  /** Order of arrival, from 1, set when it first waits (0: never waited), so it keeps its place in the queue. */
  arrival = 0;

  constructor(
    /** The session the resource will be bound to; null for plain acquires. */
    readonly entry: SessionEntry<T> | null,
    /** Reported to the observer; may be set without an entry (session awareness off). */
    readonly sessionId: string | null,
    readonly timeoutMs: number,
  ) {}
}
