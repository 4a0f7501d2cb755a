import { Injectable, Logger } from '@nestjs/common';
import { ShutdownState, type ShutdownListener } from './shutdown-state';
import { WorkTracker } from './work-tracker';

/** How long stopped work gets to answer its requests (SHUTTING_DOWN) before transports close and pools stop. */
export const STOP_SETTLE_MS = 1_000;

/**
 * The one shutdown sequence of the speech work, which every transport's Nest hooks call (the first call does the
 * work, later ones wait for it):
 *   1. `drain` (onModuleDestroy): shutdown has begun, so new work is refused (SHUTTING_DOWN); running work gets the
 *      drain time (VOICE_DRAIN_TIMEOUT) to finish;
 *   2. `stop` (beforeApplicationShutdown, before the pools shut down): what still runs is stopped and gets
 *      STOP_SETTLE_MS to answer; then each transport closes its connections.
 * Whether new work is refused is ShutdownState's to say, and nobody else's.
 */
@Injectable()
export class ShutdownSequence {
  private readonly logger = new Logger('Lifecycle');
  private drained: Promise<void> | null = null;
  private stopped: Promise<void> | null = null;

  constructor(
    private readonly state: ShutdownState,
    private readonly work: WorkTracker,
  ) {}

  /** True from the moment shutdown begins: new work is refused. */
  get draining(): boolean {
    return this.state.isShuttingDown;
  }

  /** Calls `listener` when shutdown begins (at once if it has). */
  onBegin(listener: ShutdownListener): () => void {
    return this.state.onShutdown(listener);
  }

  /** Step 1: no new work; running work gets `timeoutMs` to finish. */
  drain(timeoutMs: number): Promise<void> {
    this.state.begin('onModuleDestroy');
    return (this.drained ??= this.waitForWork(timeoutMs));
  }

  /** Step 2: stops whatever still runs and lets it answer (at most STOP_SETTLE_MS). */
  stop(): Promise<void> {
    this.state.begin('beforeApplicationShutdown');
    return (this.stopped ??= this.stopWork());
  }

  /** Resolves once no work and no pool release is in flight (after step 2: the pools' books are settled). */
  settled(): Promise<void> {
    return this.work.settled();
  }

  private async waitForWork(timeoutMs: number): Promise<void> {
    const started = performance.now();
    const drained = await this.work.drain(timeoutMs);
    const ms = Math.round(performance.now() - started);
    if (drained) this.logger.log(`speech work drained in ${ms} ms`);
    else this.logger.warn(`speech work still running after ${ms} ms; stopping it (SHUTTING_DOWN)`);
  }

  private async stopWork(): Promise<void> {
    this.work.stopAll();
    await this.work.drain(STOP_SETTLE_MS);
  }
}
