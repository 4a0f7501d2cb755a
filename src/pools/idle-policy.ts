import type { Slot } from './pool-slot';
import type { SessionBinding } from './session-bindings';

/*
 * The pool's one idle policy, as pure functions of its state (maintenance applies them).
 *
 * - A session's resource goes back to the warm stack once its session has not acquired it for sessionMaxAgeMs
 *   (the pool cannot tell an abandoned session from a busy one) or has not used it for maxIdleMs since
 *   sessionIdle(), whichever comes first.
 * - On the warm stack, a resource idle for maxIdleMs (counted from its last use or warm-up, so one that came back
 *   from an idle session keeps its idle time) is re-validated and re-warmed, or replaced.
 * - Warm resources above the warm size unused for trimIdleMs are closed, longest unused first.
 */

/** Clock time at which the session's resource goes back to the warm stack. */
export function sessionExpiresAt(
  binding: Pick<SessionBinding<unknown>, 'acquiredAt' | 'idleSince'>,
  sessionMaxAgeMs: number,
  maxIdleMs: number,
): number {
  const byAge = binding.acquiredAt + sessionMaxAgeMs;
  return binding.idleSince === null ? byAge : Math.min(byAge, binding.idleSince + maxIdleMs);
}

/** Warm resources idle for maxIdleMs: to be re-validated and re-warmed. */
export function staleWarm<T>(warm: readonly Slot<T>[], now: number, maxIdleMs: number): Slot<T>[] {
  return warm.filter((slot) => now - slot.warmSince >= maxIdleMs);
}

/**
 * Warm resources above the warm size (`target`) that nobody used for trimIdleMs, longest unused first: to be
 * closed. The warm size's own reserve is unused by design (the stack hands out its top, so its bottom waits for
 * arrivals that find the others taken): only what is unused beyond that reserve is surplus. Under steady churn
 * the clients that cycle are in use now and then, so nothing is surplus; after a burst, the extras all go quiet
 * together. `idle` counts the warm stack plus the resources being refreshed.
 */
export function surplusWarm<T>(
  warm: readonly Slot<T>[],
  idle: number,
  target: number,
  now: number,
  trimIdleMs: number,
): Slot<T>[] {
  const unused = warm.filter((slot) => now - slot.unusedSince >= trimIdleMs);
  const surplus = Math.min(idle - target, unused.length - target);
  if (surplus <= 0) return [];
  return unused.sort((a, b) => a.unusedSince - b.unusedSince).slice(0, surplus);
}

/** Warm resources longest unused first (what trimIdle() closes first). */
export function longestUnusedFirst<T>(warm: readonly Slot<T>[]): Slot<T>[] {
  return [...warm].sort((a, b) => a.unusedSince - b.unusedSince);
}
