import type { Clock, ClockTimer } from './clock';
import type { FactoryBackoff } from './factory-backoff';

/**
 * What the refill reads of its pool, as data (every WARM hand-out asks the refill whether the stack is short, so
 * these are plain reads rather than calls), and the one thing it asks the pool to do.
 */
export interface RefillHost {
  /** Nothing is created once the pool is shut down. */
  readonly life: { readonly closed: boolean };
  /** `idle`: resources on the warm stack or being warmed or recycled; `live`: what maxSize caps. */
  readonly ledger: { readonly idle: number; readonly live: number };
  readonly maxSize: number;
  /** Calls the factory for the warm stack; resolves when the result is placed. Must call {@link WarmRefill.settled}. */
  createWarm(): Promise<void>;
}

/**
 * Keeps the warm stack at its target for new arrivals: background creations for the missing resources, coalesced
 * with those already in flight, after a short delay (so an acquire followed by a release in the same tick does
 * not create and then destroy a resource), and exponential backoff while the factory keeps failing (then a
 * single probe at a time).
 */
export class WarmRefill {
  /** Background creations in flight. */
  private inFlight = 0;
  private timer: ClockTimer | null = null;
  private readonly life: RefillHost['life'];
  private readonly ledger: RefillHost['ledger'];

  constructor(
    private readonly target: number,
    private readonly delayMs: number,
    private readonly clock: Clock,
    readonly backoff: FactoryBackoff,
    private readonly host: RefillHost,
  ) {
    this.life = host.life;
    this.ledger = host.ledger;
  }

  /**
   * Schedules a top-up if the warm stack is short; `force` re-arms an armed backoff timer for right now (the
   * factory just recovered).
   */
  soon(force = false): void {
    if (this.life.closed || this.ledger.idle + this.inFlight >= this.target) return;
    if (this.timer !== null) {
      if (!force) return;
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    const now = this.clock.now();
    const delay = this.backoff.isBackingOff(now) ? this.backoff.retryAt - now : this.delayMs;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.start();
    }, delay);
  }

  /** Starts the missing creations now (within maxSize; one probe while failing). */
  start(): Promise<void>[] {
    if (this.life.closed) return [];
    if (this.backoff.isBackingOff(this.clock.now())) {
      this.soon();
      return [];
    }
    const missing = this.target - (this.ledger.idle + this.inFlight);
    let count = Math.min(missing, this.host.maxSize - this.ledger.live);
    if (this.backoff.consecutiveFailures > 0) count = Math.min(count, 1 - this.inFlight);
    const started: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      this.inFlight++;
      started.push(this.host.createWarm());
    }
    return started;
  }

  /** A background creation settled (its resource placed, or the factory failed). */
  settled(): void {
    this.inFlight--;
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
