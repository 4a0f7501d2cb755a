import type { AllocationTier } from './allocation-tier';

/** Pool events worth an operator's attention (logged by the service, counted by tests). */
export type PoolEvent =
  | { kind: 'factory-failed'; error: unknown; consecutiveFailures: number; backoffMs: number }
  | { kind: 'factory-recovered'; afterFailures: number }
  | { kind: 'warmup-failed'; error: unknown }
  | { kind: 'acquire-timeout'; waitedMs: number }
  /** An acquire found the pool at its cap and started waiting; `waiting` counts the waiters now queued. */
  | { kind: 'waiter-queued'; waiting: number }
  | { kind: 'session-evicted'; sessionId: string; idleMs: number }
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
