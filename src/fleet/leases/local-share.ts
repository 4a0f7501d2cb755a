/**
 * What one replica may hold of a fleet budget while Redis is unreachable: an equal share among the replicas
 * last seen, rounded down so the shares together never exceed the cap.
 */
export function localShare(fleetMax: number, replicasLastSeen: number): number {
  return Math.floor(fleetMax / Math.max(1, replicasLastSeen));
}
