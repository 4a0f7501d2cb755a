import { isIP } from 'node:net';
import { TokenBucket } from './token-bucket';

export interface AuthFailuresOptions {
  /** Failed attempts an address may make in a burst before it is refused outright... */
  burst: number;
  /** ...and the sustained rate of failures it is allowed after that. */
  perSecond: number;
  /** Failures are logged as one line per interval (a count), not one line per failure. */
  logIntervalMs: number;
  /** Writes the summary line. */
  log: (message: string) => void;
  /** Most addresses tracked at once; beyond, those that have recovered (then the oldest) are forgotten. */
  maxAddresses?: number;
  /** Monotonic milliseconds; injectable for tests. */
  now?: () => number;
}

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`) and plain IPv4 are one address. */
function normalize(address: string): string {
  const bare = address.trim().toLowerCase();
  return bare.startsWith('::ffff:') && isIP(bare.slice(7)) === 4 ? bare.slice(7) : bare;
}

/**
 * Failed authentication, per client address, for every entry point (HTTP, `/voice`, `/dashboard`, the main
 * namespace): an address that keeps failing is refused before its key is even looked at (so guessing keys costs
 * time), and failures reach the log as a rate — one line per interval with the count — so a flood of wrong keys
 * cannot flood the log.
 */
export class AuthFailures {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly now: () => number;
  private readonly maxAddresses: number;
  private pending = { failures: 0, throttled: 0, addresses: new Set<string>(), lastReason: '' };
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: AuthFailuresOptions) {
    this.now = options.now ?? (() => performance.now());
    this.maxAddresses = options.maxAddresses ?? 10_000;
  }

  /** Seconds until `address` may try again; 0 when it may try now. */
  retryAfterSeconds(address: string): number {
    const bucket = this.buckets.get(normalize(address));
    if (bucket === undefined || bucket.available >= 1) return 0;
    return (1 - bucket.available) / this.options.perSecond;
  }

  /** An attempt refused because its address was throttled (counted in the summary line). */
  throttled(address: string): void {
    this.pending.throttled += 1;
    this.pending.addresses.add(normalize(address));
    this.schedule();
  }

  /** A failed authentication from `address` (`reason`: why, without the offered key). */
  failed(address: string, reason: string): void {
    const key = normalize(address);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.makeRoom();
      bucket = new TokenBucket({
        capacity: this.options.burst,
        refillPerSecond: this.options.perSecond,
        now: this.now,
      });
      this.buckets.set(key, bucket);
    }
    bucket.tryTake();
    this.pending.failures += 1;
    this.pending.addresses.add(key);
    this.pending.lastReason = reason;
    this.schedule();
  }

  /** Writes what is pending now (shutdown) and stops the timer. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const { failures, throttled, addresses, lastReason } = this.pending;
    if (failures === 0 && throttled === 0) return;
    this.pending = { failures: 0, throttled: 0, addresses: new Set(), lastReason: '' };
    const seconds = this.options.logIntervalMs / 1000;
    const sample = [...addresses].slice(0, 5).join(', ');
    const more = addresses.size > 5 ? ` and ${addresses.size - 5} more` : '';
    this.options.log(
      `${failures} failed authentication(s) and ${throttled} attempt(s) refused as too many failures within ` +
        `${seconds} s, from ${addresses.size} address(es) (${sample}${more}); last reason: ${lastReason || 'throttled'}`,
    );
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => this.flush(), this.options.logIntervalMs);
    this.timer.unref();
  }

  /** Keeps the map bounded: addresses back at a full bucket are forgotten first, then the oldest. */
  private makeRoom(): void {
    if (this.buckets.size < this.maxAddresses) return;
    for (const [address, bucket] of this.buckets) {
      if (bucket.available >= this.options.burst) this.buckets.delete(address);
    }
    for (const address of this.buckets.keys()) {
      if (this.buckets.size < this.maxAddresses) break;
      this.buckets.delete(address);
    }
  }
}
