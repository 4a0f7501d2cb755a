/**
 * The replica counts a replica saw in Redis over the last lease TTL. Shares taken while Redis is unreachable are
 * based on the largest: right after a reset of the heartbeats (a Redis restart, a FLUSHALL) the replicas register
 * again one by one, so the count a replica saw last may be lower than the replicas really alive, and shares
 * computed from it would add up to more than the cap. A replica gone for longer than its TTL has lost its leases,
 * so counts older than that (before the last one seen) no longer matter.
 */
export class ReplicaCountWindow {
  private readonly seen: Array<{ at: number; count: number }> = [];

  constructor(private readonly ttlMs: number) {}

  /** A count read from Redis at `at` (ms, this process' clock). */
  record(count: number, at: number): void {
    this.seen.push({ at, count });
    while (this.seen.length > 0 && this.seen[0].at < at - this.ttlMs) this.seen.shift();
  }

  /** The latest count seen (1 before any). */
  latest(): number {
    return this.seen.at(-1)?.count ?? 1;
  }

  /** The largest count seen within a TTL before the latest reading (1 before any). */
  largest(): number {
    return this.seen.reduce((most, { count }) => Math.max(most, count), 1);
  }
}
