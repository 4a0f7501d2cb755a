/**
 * Where a resource is. The {@link SlotLedger} counts slots per state, which is what keeps
 * `resourcesCreated - resourcesDestroyed === idle + in use` true between any two awaits.
 */
export const SlotState = {
  /** On the warm stack, ready to hand out. */
  WARM: 0,
  /** Handed out by acquire() (in use). */
  OUT: 1,
  /** Cached for a session (in use). */
  SESSION: 2,
  /** Being validated for an acquirer (in use; a stray release() cannot take it). */
  CHECKING: 3,
  /** Owned by the pool while it is warmed, re-validated or recycled (idle). */
  REFRESHING: 4,
  /** Between two states inside synchronous code; never across an await. */
  FLOATING: 5,
  DESTROYED: 6,
} as const;
export type SlotState = (typeof SlotState)[keyof typeof SlotState];

export const SLOT_STATE_COUNT = 7;

/** The pool's bookkeeping for one resource, allocated once when the factory resolves. */
export class Slot<T> {
  state: SlotState = SlotState.FLOATING;
  /** Clock time the resource was last warmed or came back to the warm stack (for maxIdleMs). */
  warmSince = 0;
  /** Clock time the resource last came back from a caller or was created (for trimIdleMs). */
  unusedSince = 0;

  constructor(readonly resource: T) {}
}
