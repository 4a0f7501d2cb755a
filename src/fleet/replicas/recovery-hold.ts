/** A fall back to degraded this soon after recovering counts as a relapse: the next hold is longer. */
const RELAPSE_WINDOW_MS = 60_000;

/**
 * How long a degraded replica waits before trying Redis again. Without it a slow Redis (commands timing out now
 * and then) flips the replica between degraded and ok every few seconds: the hold starts at `baseMs` and doubles,
 * up to `maxMs`, for each relapse within a minute of recovering. Times are this process' clock, ms.
 */
export class RecoveryHold {
  private holdMs: number;
  private until = 0;
  private recoveredAt = -Infinity;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {
    this.holdMs = baseMs;
  }

  /** A Redis call failed at `now`; more failures within the hold do not extend it. */
  failed(now: number): void {
    if (now < this.until) return;
    const relapsed = now - this.recoveredAt < RELAPSE_WINDOW_MS;
    this.holdMs = relapsed ? Math.min(this.holdMs * 2, Math.max(this.maxMs, this.baseMs)) : this.baseMs;
    this.until = now + this.holdMs;
  }

  /** The replica is ok again. */
  recovered(now: number): void {
    this.recoveredAt = now;
  }

  /** Whether a recovery may be tried at `now`. */
  over(now: number): boolean {
    return now >= this.until;
  }
}
