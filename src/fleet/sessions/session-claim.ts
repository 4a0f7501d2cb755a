/**
 * The fleet's answer to a session connecting with an id:
 * - `new`: no replica knows the id; it is now this replica's;
 * - `unknown`: no replica knows the id (asked without recording it);
 * - `resumed`: the id was live (connected or within its resume grace) on `previousOwner` (maybe this replica),
 *   with the same API key; it is now this replica's, and the previous owner must let go of it;
 * - `forbidden`: the id belongs to a session opened with another API key;
 * - `unavailable`: Redis could not be asked; the replica decides alone, as a single process would.
 */
export type SessionClaim =
  | { status: 'new' }
  | { status: 'unknown' }
  | { status: 'resumed'; previousOwner: string }
  | { status: 'forbidden' }
  | { status: 'unavailable' };
