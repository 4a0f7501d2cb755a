/**
 * How a replica works with the fleet's books in Redis:
 * - `ok`: every lease is taken and given back in Redis;
 * - `degraded`: Redis is unreachable; leases are counted locally against this replica's share of the cap;
 * - `syncing`: Redis answers again (or disagreed with us); counting locally while this replica's holdings are
 *   written back, after which it is `ok`;
 * - `stopped`: the replica has left the fleet; nothing goes to Redis any more.
 */
export type FleetMode = 'ok' | 'degraded' | 'syncing' | 'stopped';
