import { TokenBucket } from './token-bucket';

/** The per-caller bounds (a caller: an API key, or every loopback client together when no keys are set). */
export interface CallerQuotaLimits {
  /** Requests (every HTTP request and every Socket.IO event but audio frames): sustained per second, and burst. */
  requestsPerSecond: number;
  requestBurst: number;
  /** Syntheses and recognitions in flight at once, over every transport. */
  maxConcurrent: number;
  /** Open Socket.IO connections (voice sessions). */
  maxSessions: number;
  /** Monotonic milliseconds; injectable for tests. */
  now?: () => number;
}

/** A refused claim: why, and when the client may try again (seconds). */
export interface QuotaRefusal {
  ok: false;
  message: string;
  retryAfterSeconds: number;
}

/** A granted claim: give it back exactly once (further calls do nothing). */
export interface QuotaSlot {
  ok: true;
  release: () => void;
}

/** How long a refused slot's client should wait: work usually ends within seconds, not milliseconds. */
const SLOT_RETRY_AFTER_SECONDS = 1;

/** Counts per caller; a caller at zero is forgotten, so the maps hold only callers with something open. */
class Counter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  claim(caller: string): (() => void) | null {
    const count = this.counts.get(caller) ?? 0;
    if (count >= this.max) return null;
    this.counts.set(caller, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(caller) ?? 1) - 1;
      if (left <= 0) this.counts.delete(caller);
      else this.counts.set(caller, left);
    };
  }

  of(caller: string): number {
    return this.counts.get(caller) ?? 0;
  }
}

/**
 * The process-wide budgets of each caller, shared by every transport (Socket.IO `/voice`, the HTTP API, the
 * OpenAI routes), so opening more connections or switching transports buys a caller nothing: one request rate,
 * one cap on work in flight, one cap on open sessions. Callers are API keys (or the loopback caller), so the
 * maps stay small.
 */
export class CallerQuotas {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly work: Counter;
  private readonly sessions: Counter;

  constructor(readonly limits: CallerQuotaLimits) {
    if (!(limits.maxConcurrent >= 1) || !(limits.maxSessions >= 1)) {
      throw new RangeError('maxConcurrent and maxSessions must be at least 1');
    }
    this.work = new Counter(limits.maxConcurrent);
    this.sessions = new Counter(limits.maxSessions);
  }

  /** One request: takes a token from the caller's bucket, or says when the next one is there. */
  takeRequest(caller: string): { ok: true } | QuotaRefusal {
    const { requestsPerSecond, requestBurst } = this.limits;
    let bucket = this.buckets.get(caller);
    if (bucket === undefined) {
      bucket = new TokenBucket({
        capacity: requestBurst,
        refillPerSecond: requestsPerSecond,
        now: this.limits.now,
      });
      this.buckets.set(caller, bucket);
    }
    if (bucket.tryTake()) return { ok: true };
    return {
      ok: false,
      message: `too many requests: more than ${requestsPerSecond} requests per second (burst ${requestBurst}) for this API key; retry shortly`,
      retryAfterSeconds: (1 - bucket.available) / requestsPerSecond,
    };
  }

  /** A synthesis or recognition starting (an HTTP upload from its first byte); release when it has ended. */
  beginWork(caller: string): QuotaSlot | QuotaRefusal {
    const release = this.work.claim(caller);
    if (release !== null) return { ok: true, release };
    return {
      ok: false,
      message:
        `${this.limits.maxConcurrent} syntheses and recognitions are already in progress for this API key ` +
        '(VOICE_MAX_CONCURRENT_PER_KEY); wait for one to finish',
      retryAfterSeconds: SLOT_RETRY_AFTER_SECONDS,
    };
  }

  /** A Socket.IO connection opening; release when it has closed. */
  openSession(caller: string): QuotaSlot | QuotaRefusal {
    const release = this.sessions.claim(caller);
    if (release !== null) return { ok: true, release };
    return {
      ok: false,
      message:
        `${this.limits.maxSessions} connections are already open for this API key ` +
        '(VOICE_MAX_SESSIONS_PER_KEY); close one first',
      retryAfterSeconds: SLOT_RETRY_AFTER_SECONDS,
    };
  }

  /** Work in flight for `caller` (tests, diagnostics). */
  workInProgress(caller: string): number {
    return this.work.of(caller);
  }

  /** Open sessions of `caller`. */
  openSessions(caller: string): number {
    return this.sessions.of(caller);
  }
}
