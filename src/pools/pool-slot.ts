/**
 * Where a resource is. Each state but FLOATING and DESTROYED is counted by exactly one pool counter, which is what
 * keeps `resourcesCreated - resourcesDestroyed === idle + in use` true between any two awaits.
 */
export const SlotState = {
  /** In the warm queue (counted by the queue's length). */
  IDLE: 0,
  /** Handed out by acquire() (counted as in use). */
  OUT: 1,
  /** Cached for a session (counted as in use). */
  SESSION: 2,
  /** Being validated for an acquirer (counted as in use; a stray release() cannot take it). */
  CHECKING: 3,
  /** Owned by the pool while it is warmed, re-validated or recycled (counted as idle). */
  REFRESHING: 4,
  /** Between two counted states inside synchronous code; never across an await. */
  FLOATING: 5,
  DESTROYED: 6,
} as const;
export type SlotState = (typeof SlotState)[keyof typeof SlotState];

/** The pool's bookkeeping for one resource, allocated once when the factory resolves. */
export class Slot<T> {
  state: SlotState = SlotState.FLOATING;
  /** Clock time the slot entered the warm queue (only kept when maxIdleMs is finite). */
  idleSince = 0;

  constructor(readonly resource: T) {}
}
