import { LuaScript } from './lua-script';

export type ClaimStatus = 'new' | 'resumed' | 'forbidden' | 'unknown';

/**
 * Claims a session id for a replica. A known id is taken over (resumed) only with the same key hash, whichever
 * replica held it; an unknown one is recorded with the key hash it came with, or (create = 0) left alone.
 * KEYS: the session hash. ARGV: replica, key hash, ttl (ms), create (1 | 0).
 * Returns { status, previous owner ('' unless resumed or forbidden) }.
 */
export const CLAIM_SESSION = new LuaScript<[ClaimStatus, string]>(
  'claim-session',
  `
local record = redis.call('HMGET', KEYS[1], 'owner', 'key')
if not record[1] then
  if ARGV[4] ~= '1' then return {'unknown', ''} end
  redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'key', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {'new', ''}
end
if record[2] ~= ARGV[2] then return {'forbidden', record[1]} end
redis.call('HSET', KEYS[1], 'owner', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {'resumed', record[1]}
`,
);

/**
 * Sets a session record's remaining life if the replica still owns it: the lease TTL while connected (refreshed
 * with each heartbeat), the resume grace after a disconnect.
 * KEYS: the session hash. ARGV: replica, ttl (ms). Returns 1 when owned, 0 otherwise.
 */
export const EXPIRE_SESSION = new LuaScript<number>(
  'expire-session',
  `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`,
);

/**
 * Deletes a session record if the replica still owns it (the session ended there).
 * KEYS: the session hash. ARGV: replica. Returns 1 when deleted.
 */
export const END_SESSION = new LuaScript<number>(
  'end-session',
  `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`,
);

/**
 * Extends the records of a replica's connected sessions by the TTL, writing back any that Redis lost (a
 * restart), and reports the ones another replica has taken over meanwhile.
 * KEYS: the session hashes. ARGV: replica, ttl (ms), then per session: its key hash.
 * Returns the 1-based indexes (into KEYS) of sessions now owned elsewhere.
 */
export const REFRESH_SESSIONS = new LuaScript<number[]>(
  'refresh-sessions',
  `
local lost = {}
for i = 1, #KEYS do
  local owner = redis.call('HGET', KEYS[i], 'owner')
  if not owner then
    redis.call('HSET', KEYS[i], 'owner', ARGV[1], 'key', ARGV[2 + i])
    redis.call('PEXPIRE', KEYS[i], ARGV[2])
  elseif owner == ARGV[1] then
    redis.call('PEXPIRE', KEYS[i], ARGV[2])
  else
    lost[#lost + 1] = i
  end
end
return lost
`,
);

/**
 * Reports which of a replica's disconnected sessions (in their resume grace) another replica has taken over.
 * Read-only: a record in its grace keeps the expiry the disconnect gave it.
 * KEYS: the session hashes. ARGV: replica. Returns the 1-based indexes (into KEYS) of sessions owned elsewhere.
 */
export const TAKEN_SESSIONS = new LuaScript<number[]>(
  'taken-sessions',
  `
local taken = {}
for i = 1, #KEYS do
  local owner = redis.call('HGET', KEYS[i], 'owner')
  if owner and owner ~= ARGV[1] then taken[#taken + 1] = i end
end
return taken
`,
);
