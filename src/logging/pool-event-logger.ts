import type { AllocationTier } from '../pools/allocation-tier';
import type { PoolEvent, PoolObserver } from '../pools/pool-observer';
import { sessionIdPrefix } from './session-id-prefix';

type LogMethod = (fields: Record<string, unknown>, message: string) => void;

/** The part of a pino logger this needs (a `pino.Logger` or nestjs-pino's `PinoLogger` both fit). */
export interface PoolEventLog {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  /** When present, skips building DEBUG lines nobody will see (allocations are on the hot path). */
  isLevelEnabled?(level: string): boolean;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** pino serialises `err` as an Error (message, stack); anything else thrown is kept as text. */
const asError = (error: unknown): Error | string => (error instanceof Error ? error : String(error));

/**
 * A PoolObserver that logs: tier allocations at DEBUG (`pool=tts tier=warm latencyMs=0.2 session=abc`), events
 * an operator should see at WARN (failures, timeouts) or INFO (recoveries, evictions, replacements of broken
 * resources), and routine idle re-warming at DEBUG. Never throws (observers run inside the pool).
 */
export function createPoolEventLogger(pool: string, log: PoolEventLog): PoolObserver {
  return {
    allocated(tier: AllocationTier, latencyMs: number, sessionId: string | null): void {
      if (log.isLevelEnabled && !log.isLevelEnabled('debug')) return;
      const ms = round2(latencyMs);
      const session = sessionIdPrefix(sessionId);
      guard(() =>
        log.debug(
          { pool, tier, latencyMs: ms, session },
          `pool=${pool} tier=${tier} latencyMs=${ms} session=${session}`,
        ),
      );
    },
    event(event: PoolEvent): void {
      guard(() => logEvent(pool, log, event));
    },
  };
}

function logEvent(pool: string, log: PoolEventLog, event: PoolEvent): void {
  const fields = { pool, event: event.kind };
  switch (event.kind) {
    case 'factory-failed':
      return log.warn(
        {
          ...fields,
          consecutiveFailures: event.consecutiveFailures,
          backoffMs: event.backoffMs,
          err: asError(event.error),
        },
        `pool=${pool} factory failed (${event.consecutiveFailures} in a row); next attempt in ${event.backoffMs} ms`,
      );
    case 'factory-recovered':
      return log.info(
        { ...fields, afterFailures: event.afterFailures },
        `pool=${pool} factory recovered after ${event.afterFailures} failures`,
      );
    case 'warmup-failed':
      return log.warn({ ...fields, err: asError(event.error) }, `pool=${pool} warm-up failed`);
    case 'acquire-timeout':
      return log.warn(
        { ...fields, waitedMs: round2(event.waitedMs) },
        `pool=${pool} acquire timed out after ${Math.round(event.waitedMs)} ms at max size`,
      );
    case 'waiter-queued':
      return log.debug(
        { ...fields, waiting: event.waiting },
        `pool=${pool} at max size: ${event.waiting} acquire(s) waiting`,
      );
    case 'session-evicted': {
      // Lending an idle session's client to a waiter or to another replica is routine load balancing.
      const method = event.reason === 'idle' ? log.info : log.debug;
      return method.call(
        log,
        {
          ...fields,
          session: sessionIdPrefix(event.sessionId),
          idleMs: Math.round(event.idleMs),
          reason: event.reason,
        },
        `pool=${pool} evicted idle session ${sessionIdPrefix(event.sessionId)} after ${Math.round(event.idleMs)} ms (${event.reason})`,
      );
    }
    case 'resource-replaced': {
      // Idle re-warming is routine maintenance; a resource that failed validation is worth seeing.
      const method = event.reason === 'idle' ? log.debug : log.info;
      return method.call(
        log,
        { ...fields, reason: event.reason },
        `pool=${pool} replaced a resource (${event.reason})`,
      );
    }
    case 'destroy-failed':
      return log.warn({ ...fields, err: asError(event.error) }, `pool=${pool} destroying a resource failed`);
    default:
      return assertNever(event);
  }
}

function assertNever(event: never): void {
  // A new PoolEvent kind was added without a log line: fail the type check, stay quiet at run time.
  void event;
}

function guard(write: () => void): void {
  try {
    write();
  } catch {
    // Logging must never break an allocation or a pool's maintenance.
  }
}
