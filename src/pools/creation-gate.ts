/** Why the pool wants to create: for a caller (`acquire`) or to top its warm stack up (`refill`). */
export type CreationPurpose = 'acquire' | 'refill';

/**
 * What a gate sees of the pool it guards (the pool hands this to `attach`).
 */
export interface GatedPool {
  readonly name: string;
  /** Acquires queued at the cap. */
  pendingAcquires(): number;
  /** Idle clients: on the warm stack, or held by a session that is not using them (see sessionIdle()). */
  idleCount(): number;
  /** Allocations so far, every tier (DEDICATED too): it changes whenever the pool serves anyone. */
  allocations(): number;
  /** Resources a caller or a session's request is using now, plus acquires waiting. */
  busy(): number;
  /** Retries the queued acquires now: a take may succeed. */
  wake(): void;
  /**
   * Closes up to `count` idle clients, warm ones first, then those of idle sessions (least recently idle first);
   * never one in use. Returns how many it closed.
   */
  trimIdle(count: number): number;
}

/**
 * An extra budget a pool must take from before every factory call and give back to once per resource it
 * destroys (and per factory call that failed after taking), e.g. a budget shared by several processes. Taking
 * may be synchronous (a local count) or asynchronous (a round trip); a refused `acquire` queues the caller as at
 * the pool's own cap (FIFO, timeout, abort), a refused `refill` skips that refill. `wake()` retries the queue.
 */
export interface CreationGate {
  tryTake(purpose: CreationPurpose): boolean | Promise<boolean>;
  release(): void;
  /**
   * Optional. Asked when a caller or a session gives a resource back, before a waiter or the warm stack gets it:
   * true means its budget is owed elsewhere, and the pool closes it instead (which releases it).
   */
  reclaim?(): boolean;
  attach(pool: GatedPool): void;
}
