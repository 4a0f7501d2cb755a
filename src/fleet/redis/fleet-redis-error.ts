/** Fleet mode cannot start: Redis is unreachable or refuses us. A configuration error, reported at start-up. */
export class FleetRedisError extends Error {
  override readonly name = 'FleetRedisError';
}
