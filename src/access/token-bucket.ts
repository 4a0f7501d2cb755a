export interface TokenBucketOptions {
  /** Burst size: the most tokens the bucket holds. */
  capacity: number;
  /** Sustained rate. */
  refillPerSecond: number;
  /** Monotonic milliseconds; injectable for tests. */
  now?: () => number;
}

/** A classic token bucket: allows bursts up to `capacity`, sustained `refillPerSecond`, O(1) per call. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.capacity > 0) || !(options.refillPerSecond > 0)) {
      throw new RangeError('token bucket capacity and refillPerSecond must be positive');
    }
    this.now = options.now ?? (() => performance.now());
    this.tokens = options.capacity;
    this.last = this.now();
  }

  /** Takes `n` tokens if they are all there; otherwise takes none and returns false. */
  tryTake(n = 1): boolean {
    this.refill();
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  get available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(
      this.options.capacity,
      this.tokens + (elapsed * this.options.refillPerSecond) / 1000,
    );
  }
}
