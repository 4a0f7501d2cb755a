import type { Clock, ClockTimer } from './clock';
import type { PoolContext } from './pool-context';
import type { Recycling } from './recycling';
import type { SessionBinder } from './session-binder';
import { noop, RESOLVED } from './settled-promises';
import type { WarmRefill } from './warm-refill';

/**
 * The maintenance cycle and the background task that runs it every warmupIntervalMs: the idle policy for session
 * resources (back to the warm stack), warm extras above the warm size unused for trimIdleMs closed, warm resources
 * idle for maxIdleMs re-validated and re-warmed (or replaced), and the warm stack topped up (respecting factory
 * backoff). Counts its cycles (published as `warmupCycles`).
 */
export class Maintenance<T> {
  private readonly clock: Clock;
  private timer: ClockTimer | null = null;

  constructor(
    private readonly ctx: PoolContext<T>,
    private readonly binder: SessionBinder<T>,
    private readonly recycling: Recycling<T>,
    private readonly refill: WarmRefill,
  ) {
    this.clock = ctx.clock;
  }

  /** Starts the background task (the first cycle runs one interval from now). */
  start(): void {
    this.timer = this.clock.setTimeout(() => {
      if (this.ctx.life.closed) return;
      this.start();
      void this.run();
    }, this.ctx.opts.warmupIntervalMs);
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** One cycle; resolves when its async work settled. */
  run(): Promise<void> {
    if (this.ctx.life.closed) return RESOLVED;
    this.ctx.stats.maintenanceCycles++;
    const now = this.clock.now();
    const work = this.binder.expire(now);
    this.recycling.trimSurplus(now);
    for (const refreshing of this.recycling.refreshStale(now)) work.push(refreshing);
    for (const filling of this.refill.start()) work.push(filling);
    return work.length === 0 ? RESOLVED : Promise.all(work).then(noop);
  }
}
