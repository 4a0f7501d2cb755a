import type { ClockTimer } from './clock';
import type { SessionAllocation } from './resource-pool';

export const PendingState = {
  /** Not queued and no async step running (only inside synchronous code). */
  NEW: 0,
  /** In the waiter queue, at the cap. */
  QUEUED: 1,
  /** A factory call runs for it. */
  CREATING: 2,
  /** An async validate() of a warm or session resource runs for it. */
  CHECKING: 3,
  /** Served, failed or cancelled; late results go back to the pool. */
  DONE: 4,
} as const;
export type PendingState = (typeof PendingState)[keyof typeof PendingState];

/**
 * One acquire that could not be served synchronously, and its one caller (slow path only; the hot path allocates
 * none of this). Callers that join a session's allocation await {@link promise}; they are not part of it.
 */
export class PendingAllocation<T> {
  state: PendingState = PendingState.NEW;
  timer: ClockTimer | null = null;
  /** When it first started waiting at the cap; its timeout counts from here. */
  queuedAt = 0;
  /** Order of arrival, from 1, set when it first waits (0: never waited), so it keeps its place in the queue. */
  arrival = 0;
  /** Its caller aborted: callers that joined it ask again rather than share that caller's abort. */
  abandoned = false;
  /** The abort listener on {@link signal}, removed once the allocation is done. */
  onAbort: (() => void) | null = null;
  readonly promise: Promise<SessionAllocation<T>>;
  resolve!: (allocation: SessionAllocation<T>) => void;
  reject!: (error: unknown) => void;

  constructor(
    /** Reported to the observer; the session the resource is bound to when {@link bindsSession}. */
    readonly sessionId: string | null,
    /** The resource becomes the session's (its binding holds this allocation until then). */
    readonly bindsSession: boolean,
    readonly timeoutMs: number,
    readonly signal: AbortSignal | undefined,
    readonly startedAt: number,
  ) {
    this.promise = new Promise<SessionAllocation<T>>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}
