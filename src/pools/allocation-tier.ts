/** Where an allocated resource came from. */
export enum AllocationTier {
  /** The session's own cached resource. */
  DEDICATED = 'dedicated',
  /** Taken from the pre-connected warm stack (or handed over to a waiter by a release or an idle session). */
  WARM = 'warm',
  /** Created on demand by the factory. */
  COLD = 'cold',
}
