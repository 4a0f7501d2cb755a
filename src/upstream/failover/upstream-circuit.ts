export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * One upstream's circuit: `threshold` refused connection attempts in a row open it; while open, new clients go
 * elsewhere; after `cooldownMs` it is half-open and lets one attempt (a probe) through at a time: a success closes
 * it, a failure opens it for another cool-down.
 */
export class UpstreamCircuit {
  private failures = 0;
  private openedAt: number | null = null;
  private probing = false;

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** When an open circuit becomes half-open (epoch ms); null when it is not open. */
  get retryAt(): number | null {
    return this.openedAt === null ? null : this.openedAt + this.cooldownMs;
  }

  /** May an attempt go to this upstream now? In half-open, the one attempt that may is the probe. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  /** Returns true when this closed a circuit that was not closed (the upstream recovered). */
  succeeded(): boolean {
    const recovered = this.openedAt !== null;
    this.failures = 0;
    this.openedAt = null;
    this.probing = false;
    return recovered;
  }

  /** Returns true when this opened the circuit (or re-opened it after a failed probe). */
  failed(): boolean {
    this.failures++;
    const wasProbe = this.probing;
    this.probing = false;
    if (wasProbe || (this.openedAt === null && this.failures >= this.threshold)) {
      this.openedAt = this.now();
      return true;
    }
    return false;
  }

  /** An attempt that neither succeeded nor was refused (e.g. a rejected credential): the probe slot frees up. */
  abandoned(): void {
    this.probing = false;
  }
}
