/**
 * Failure streak of a factory and the resulting exponential backoff for background creation, so a throttled or
 * unreachable upstream is not hammered. Foreground acquires still call the factory: a caller asked for it.
 */
export class FactoryBackoff {
  consecutiveFailures = 0;
  lastError: string | null = null;
  /** Clock time before which background creation should not start; 0 when not backing off. */
  retryAt = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly jitter: number,
    private readonly random: () => number,
  ) {}

  /** Records a failure at `now`; returns the delay before the next background attempt. */
  failed(error: unknown, now: number): number {
    this.consecutiveFailures++;
    this.lastError = error instanceof Error ? error.message : String(error);
    const exponent = Math.min(this.consecutiveFailures - 1, 30); // 2^30 already exceeds any sane maxMs
    const base = Math.min(this.initialMs * 2 ** exponent, this.maxMs);
    const delay = Math.round(base * (1 - this.jitter * this.random()));
    this.retryAt = now + delay;
    return delay;
  }

  /** Records a success; returns the length of the failure streak it ended (0 if there was none). */
  succeeded(): number {
    const streak = this.consecutiveFailures;
    this.consecutiveFailures = 0;
    this.lastError = null;
    this.retryAt = 0;
    return streak;
  }

  isBackingOff(now: number): boolean {
    return this.consecutiveFailures > 0 && now < this.retryAt;
  }

  remainingMs(now: number): number {
    return this.consecutiveFailures > 0 ? Math.max(0, this.retryAt - now) : 0;
  }
}
