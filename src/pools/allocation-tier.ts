/** Where an allocated resource came from. */
export enum AllocationTier {
  /** The session's own cached resource. */
  DEDICATED = 'dedicated',
  /** Taken from the pre-connected warm queue (or handed over by a release while waiting). */
  WARM = 'warm',
  /** Created on demand by the factory. */
  COLD = 'cold',
}
