import type { AllocationTier } from './allocation-tier';

/** Why a session lost its resource (see the `session-evicted` event). */
export type SessionEvictionReason = 'idle' | 'reclaimed' | 'trimmed';

/** Pool events worth an operator's attention (logged by the service, counted by tests). */
export type PoolEvent =
  | { kind: 'factory-failed'; error: unknown; consecutiveFailures: number; backoffMs: number }
  | { kind: 'factory-recovered'; afterFailures: number }
  | { kind: 'warmup-failed'; error: unknown }
  | { kind: 'acquire-timeout'; waitedMs: number }
  /** An acquire found the pool at its cap and started waiting; `waiting` counts the waiters now queued. */
  | { kind: 'waiter-queued'; waiting: number }
  /**
   * A session lost its resource without releasing it (it gets WARM or COLD next time): `idle` the idle policy
   * returned it to the warm stack, `reclaimed` an acquire at the cap got it, `trimmed` trimIdle() closed it.
   * `idleMs`: since the session went idle (sessionIdle()), or else since its last acquireForSession().
   */
  | { kind: 'session-evicted'; sessionId: string; idleMs: number; reason: SessionEvictionReason }
  | { kind: 'resource-replaced'; reason: 'idle' | 'invalid' }
  | { kind: 'destroy-failed'; error: unknown };

/**
 * Optional hooks a pool calls synchronously. Implementations must be cheap and must not throw: `allocated` runs on
 * the acquire hot path.
 */
export interface PoolObserver {
  /** A resource was handed out; `latencyMs` is from the acquire call to the hand-over. */
  allocated?(tier: AllocationTier, latencyMs: number, sessionId: string | null): void;
  event?(event: PoolEvent): void;
}
