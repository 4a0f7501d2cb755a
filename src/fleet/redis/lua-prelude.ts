/**
 * Lua shared by the fleet's scripts. Time is Redis' own clock (TIME), so replicas with skewed clocks still agree
 * on when a heartbeat expired.
 */
export const LUA_PRELUDE = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Sum of the per-replica counts in hash key, leaving out except (may be nil). Fields of replicas whose heartbeat
-- has expired (or that have none) are deleted on the way: that is how a dead replica's leases come back.
local function live_sum(key, heartbeats, now, except)
  local fields = redis.call('HGETALL', key)
  local total = 0
  for i = 1, #fields, 2 do
    local expires = redis.call('ZSCORE', heartbeats, fields[i])
    if (not expires) or tonumber(expires) <= now then
      redis.call('HDEL', key, fields[i])
    elseif fields[i] ~= except then
      total = total + tonumber(fields[i + 1])
    end
  end
  return total
end

-- Whether replica's heartbeat is current; a replica whose heartbeat expired has lost its leases and must
-- register them again (sync) before taking more.
local function alive(heartbeats, replica, now)
  local expires = redis.call('ZSCORE', heartbeats, replica)
  return expires and tonumber(expires) > now
end
`;
