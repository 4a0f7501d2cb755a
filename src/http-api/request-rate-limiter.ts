import { TokenBucket } from '../access/token-bucket';

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * One token bucket per caller (API key, or all loopback callers together when no keys are set): a request takes
 * a token or is refused with the time until the next one. Callers are the configured keys, so the map is bounded.
 */
export class RequestRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly options: { requestsPerSecond: number; burst: number; now?: () => number }) {}

  take(principal: string): RateDecision {
    let bucket = this.buckets.get(principal);
    if (bucket === undefined) {
      bucket = new TokenBucket({
        capacity: this.options.burst,
        refillPerSecond: this.options.requestsPerSecond,
        now: this.options.now,
      });
      this.buckets.set(principal, bucket);
    }
    if (bucket.tryTake()) return { ok: true };
    return { ok: false, retryAfterSeconds: (1 - bucket.available) / this.options.requestsPerSecond };
  }
}
