import { RESOLVED } from './settled-promises';

/**
 * Where the pool is in its life (prepared, shut down), and the async work still running that shutdown() waits
 * for: factory calls, async validations, warm-ups, recycling checks, destroys. The part of the pool that starts
 * such work counts it here and settles it once its resource is placed or destroyed.
 */
export class PoolLifecycle {
  /** Set once prepare()'s first fill settled. */
  prepared = false;
  /** Set once by shutdown(); after it nothing is handed out, placed or created. */
  closed = false;
  private running = 0;
  private onDrained: (() => void) | null = null;

  /** An async operation started. */
  started(): void {
    this.running++;
  }

  /** An operation counted by {@link started} finished; the last one after shutdown resolves {@link drained}. */
  settled(): void {
    this.running--;
    if (this.running === 0 && this.onDrained !== null) {
      const drained = this.onDrained;
      this.onDrained = null;
      drained();
    }
  }

  /** Resolves once no counted operation runs (at once if none does). Called once, by shutdown(). */
  drained(): Promise<void> {
    if (this.running === 0) return RESOLVED;
    return new Promise<void>((resolve) => {
      this.onDrained = resolve;
    });
  }
}
