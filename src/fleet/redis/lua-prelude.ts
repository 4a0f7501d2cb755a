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

-- A replica's fair share of a cap: the cap divided by the live replicas (at least 1). Below it a replica's takes
-- win whenever a lease is free; beyond it a replica only borrows what nobody below their share waits for.
local function fair_share(max, heartbeats)
  return math.max(1, math.floor(max / math.max(1, redis.call('ZCARD', heartbeats))))
end

-- Leases the replicas below their fair share wait for (their recorded demand, up to their share), leaving out
-- except. Call after live_sum on the same keys (it has already dropped dead replicas' fields).
local function under_share_need(leases, demand, fair, except)
  local fields = redis.call('HGETALL', demand)
  local need = 0
  for i = 1, #fields, 2 do
    if fields[i] ~= except then
      local held = tonumber(redis.call('HGET', leases, fields[i]) or '0')
      need = need + math.min(tonumber(fields[i + 1]), math.max(0, fair - held))
    end
  end
  return need
end

-- Whether replica's heartbeat is current; a replica whose heartbeat expired has lost its leases and must
-- register them again (sync) before taking more.
local function alive(heartbeats, replica, now)
  local expires = redis.call('ZSCORE', heartbeats, replica)
  return expires and tonumber(expires) > now
end
`;
