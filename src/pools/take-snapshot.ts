import type { PoolParts } from './pool-assembly';
import type { PoolSnapshot } from './pool-snapshot';

/** A point-in-time view of a pool, read from its parts' books (see {@link PoolSnapshot}). */
export function takeSnapshot<T>(parts: PoolParts<T>): PoolSnapshot {
  const { opts, ledger, life } = parts;
  const now = parts.clock.now();
  const backoff = parts.refill.backoff;
  return {
    name: opts.name,
    ready: life.prepared && !life.closed && backoff.consecutiveFailures === 0,
    warmPoolSize: ledger.idle,
    warmPoolTarget: opts.warmPoolSize,
    warmPoolMax: opts.warmMaxSize,
    maxSize: Number.isFinite(opts.maxSize) ? opts.maxSize : null,
    size: ledger.live,
    inUse: ledger.inUse,
    pendingAcquires: parts.waiters.size,
    sessionAwareness: opts.sessionAwareness,
    activeSessions: parts.sessions.size,
    backgroundWarmup: opts.enableBackgroundWarmup,
    factory: {
      consecutiveFailures: backoff.consecutiveFailures,
      backoffRemainingMs: backoff.remainingMs(now),
      lastError: backoff.lastError,
    },
    metrics: parts.stats.metrics(ledger, now),
    ...(opts.upstreams ? { upstreams: opts.upstreams() } : {}),
  };
}
