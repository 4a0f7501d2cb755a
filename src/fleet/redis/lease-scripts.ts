import { LUA_PRELUDE } from './lua-prelude';
import { LuaScript } from './lua-script';

/**
 * A take's answer: granted, or refused (the fleet is at its cap); the script answers -1 when this replica's
 * heartbeat is stale (it must sync first).
 */
export const TAKE_GRANTED = 1;
export const TAKE_REFUSED = 0;

/**
 * Takes one lease of a pool for a replica if the fleet is below its cap.
 * KEYS: heartbeats, leases (of the pool), demand (of the pool).
 * ARGV: replica, max, purpose (`acquire` | `refill`), waiting (acquires queued there), demand hold (ms),
 * persistent (1 when the replica's acquires have been waiting for at least the lending hold).
 * Below its fair share (max / live replicas) a replica's acquire is granted whenever a lease is free. Beyond it
 * (borrowing) only a persistent demand is granted, and only leases no replica below its share waits for: so under
 * an even load every replica gets its share, as a fixed split would give it, and under a skewed one the busy
 * replica borrows what the others do not use. A refused `acquire` records the replica's waiting acquires as
 * demand, which makes the others lend (idle clients once their own demand is quiet; over-share clients as they
 * come free); a `refill` (topping up a warm queue) stays within the fair share, and is refused while the free
 * leases are needed by another replica's waiters. Returns { status, leased after the call }.
 */
export const TAKE_LEASE = new LuaScript<[number, number]>(
  'take-lease',
  `${LUA_PRELUDE}
local heartbeats, leases, demand = KEYS[1], KEYS[2], KEYS[3]
local replica, max, purpose = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local now = now_ms()
if not alive(heartbeats, replica, now) then return {-1, 0} end
redis.call('ZREMRANGEBYSCORE', heartbeats, '-inf', now)
local leased = live_sum(leases, heartbeats, now, nil)
local waiting_elsewhere = live_sum(demand, heartbeats, now, replica)
local granted = false
if leased < max then
  local fair = fair_share(max, heartbeats)
  local held = tonumber(redis.call('HGET', leases, replica) or '0')
  if purpose == 'refill' then
    granted = held < fair and leased + waiting_elsewhere < max
  else
    granted = held < fair
      or (ARGV[6] == '1' and leased + 1 + under_share_need(leases, demand, fair, replica) <= max)
  end
end
if granted then
  redis.call('HINCRBY', leases, replica, 1)
  return {1, leased + 1}
end
if purpose == 'acquire' then
  redis.call('HSET', demand, replica, ARGV[4])
  redis.call('PEXPIRE', demand, ARGV[5])
end
return {0, leased}
`,
);

/**
 * Gives back n leases of a pool. KEYS: leases. ARGV: replica, n. Returns the replica's count left; below 0
 * means the books disagree (its leases had expired meanwhile) and the replica must sync.
 */
export const GIVE_LEASES = new LuaScript<number>(
  'give-leases',
  `
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -tonumber(ARGV[2]))
if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return left
`,
);

/**
 * A replica's heartbeat: extends its leases' life by the TTL, publishes its snapshot with the same TTL, records
 * the acquires it has waiting for a lease, and reads back what the fleet looks like.
 * KEYS: heartbeats, its snapshot hash, then per pool: leases, demand.
 * ARGV: replica, ttl (ms), snapshot JSON, demand hold (ms), then per pool: waiting.
 * Returns { -1 } when the replica's heartbeat had already expired (its leases are gone: sync), else
 * { 1, live replicas, then per pool: leased, waiting elsewhere, held by this replica, owed }, where owed is how
 * many leases this replica holds beyond its fair share that replicas below theirs wait for (it gives them back).
 */
export const HEARTBEAT = new LuaScript<number[]>(
  'heartbeat',
  `${LUA_PRELUDE}
local heartbeats, snapshot = KEYS[1], KEYS[2]
local replica, ttl = ARGV[1], tonumber(ARGV[2])
local now = now_ms()
if not alive(heartbeats, replica, now) then return {-1} end
redis.call('ZADD', heartbeats, now + ttl, replica)
redis.call('ZREMRANGEBYSCORE', heartbeats, '-inf', now)
redis.call('HSET', snapshot, 'json', ARGV[3], 'at', now)
redis.call('PEXPIRE', snapshot, ttl)
local out = {1, redis.call('ZCARD', heartbeats)}
for i = 1, (#KEYS - 2) / 2 do
  local leases, demand = KEYS[1 + 2 * i], KEYS[2 + 2 * i]
  local waiting, max = tonumber(ARGV[4 + 2 * i - 1]), tonumber(ARGV[4 + 2 * i])
  if waiting > 0 then
    redis.call('HSET', demand, replica, waiting)
    redis.call('PEXPIRE', demand, ARGV[4])
  else
    redis.call('HDEL', demand, replica)
  end
  local leased = live_sum(leases, heartbeats, now, nil)
  local held = tonumber(redis.call('HGET', leases, replica) or '0')
  local owed = 0
  if max > 0 then
    local fair = fair_share(max, heartbeats)
    if held > fair then owed = math.min(held - fair, under_share_need(leases, demand, fair, replica)) end
  end
  out[#out + 1] = leased
  out[#out + 1] = live_sum(demand, heartbeats, now, replica)
  out[#out + 1] = held
  out[#out + 1] = owed
end
return out
`,
);

/**
 * Registers a replica with the leases it holds (at start-up: none; after Redis came back or its heartbeat
 * lapsed: one per live client), replacing whatever Redis had for it.
 * KEYS: heartbeats, then per pool: leases. ARGV: replica, ttl (ms), then per pool: count.
 * Returns { live replicas, then per pool: leased }.
 */
export const SYNC_LEASES = new LuaScript<number[]>(
  'sync-leases',
  `${LUA_PRELUDE}
local heartbeats, replica = KEYS[1], ARGV[1]
local now = now_ms()
redis.call('ZADD', heartbeats, now + tonumber(ARGV[2]), replica)
redis.call('ZREMRANGEBYSCORE', heartbeats, '-inf', now)
local out = {redis.call('ZCARD', heartbeats)}
for i = 2, #KEYS do
  local count = tonumber(ARGV[1 + i])
  if count > 0 then redis.call('HSET', KEYS[i], replica, count) else redis.call('HDEL', KEYS[i], replica) end
  out[#out + 1] = live_sum(KEYS[i], heartbeats, now, nil)
end
return out
`,
);

/**
 * A replica leaving on graceful shutdown: its leases, demand and snapshot go at once rather than at expiry.
 * KEYS: heartbeats, its snapshot hash, then any per-pool hashes. ARGV: replica.
 */
export const LEAVE_FLEET = new LuaScript<number>(
  'leave-fleet',
  `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
for i = 3, #KEYS do redis.call('HDEL', KEYS[i], ARGV[1]) end
return 1
`,
);

/**
 * The fleet as it is now. KEYS: heartbeats, then per pool: leases. ARGV: the snapshot hashes' key prefix
 * (snapshot keys are derived from the live replicas, so this needs a single Redis, not a cluster).
 * Returns { now, pools, per pool: leased, then per live replica: id, snapshot JSON ('' if none), published at }.
 */
export const READ_FLEET = new LuaScript<Array<number | string>>(
  'read-fleet',
  `${LUA_PRELUDE}
local heartbeats = KEYS[1]
local now = now_ms()
local out = {now, #KEYS - 1}
for i = 2, #KEYS do out[#out + 1] = live_sum(KEYS[i], heartbeats, now, nil) end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', heartbeats, '(' .. now, '+inf')) do
  local snapshot = redis.call('HMGET', ARGV[1] .. id, 'json', 'at')
  out[#out + 1] = id
  out[#out + 1] = snapshot[1] or ''
  out[#out + 1] = tonumber(snapshot[2] or '0')
end
return out
`,
);
