-- One alert transition, atomically: compare the alert's version (and, for a new alert, that
-- its key has no open alert), apply the fields, bump the version, append the timeline entry,
-- keep the active map and the index, log the transition. The instance whose call returns
-- 'ok' is the one that notifies, so with several instances each transition is notified once.
-- Runs on Redis (Lua 5.1) and the embedded engine (fengari, no cjson): numbers via %d, a
-- missing field may be userdata there (str()), the reply is one delimited string, and stream
-- ids are explicit.
--
-- KEYS: 1 alert hash, 2 timeline list, 3 active hash, 4 index zset, 5 log stream, 6 log seq
-- ARGV: 1 alert id, 2 alert key, 3 expected version ('' = a new alert), 4 active op
--       (set | del | keep | drop), 5 now ms, 6 timeline entry (JSON), 7 transition kind,
--       8 history length kept, 9 retention ms of a closed alert, 10… field, value pairs

local unpack = unpack or table.unpack
local function str(v, default) if type(v) == 'string' then return v end return default end
local kAlert, kTimeline, kActive, kIndex, kLog, kLogSeq = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local id, key, expected, op = ARGV[1], ARGV[2], ARGV[3], ARGV[4]

local ver = str(redis.call('HGET', kAlert, 'ver'), '')
if expected == '' then
  if ver ~= '' then return 'stale\31' .. ver end
  -- Another instance opened an alert for this key first.
  if type(redis.call('HGET', kActive, key)) == 'string' then return 'stale\31' end
elseif ver ~= expected then
  return 'stale\31' .. ver
elseif str(redis.call('HGET', kAlert, 'closed'), '') ~= '' then
  -- A closed alert never changes again (a reader may have seen it open a moment before).
  return 'stale\31' .. ver
end

local nextVer = string.format('%d', (tonumber(ver) or 0) + 1)
if op == 'drop' then
  -- A pending alert that never fired leaves no history.
  if str(redis.call('HGET', kActive, key), '') == id then redis.call('HDEL', kActive, key) end
  redis.call('DEL', kAlert, kTimeline)
  redis.call('ZREM', kIndex, id)
  return 'ok\31' .. nextVer
end
local fields = { 'ver', nextVer }
for i = 10, #ARGV, 2 do
  fields[#fields + 1] = ARGV[i]
  fields[#fields + 1] = ARGV[i + 1]
end
redis.call('HSET', kAlert, unpack(fields))
if ARGV[6] ~= '' then redis.call('RPUSH', kTimeline, ARGV[6]) end

if op == 'set' then
  redis.call('HSET', kActive, key, id)
elseif op == 'del' then
  if str(redis.call('HGET', kActive, key), '') == id then redis.call('HDEL', kActive, key) end
  redis.call('PEXPIRE', kAlert, ARGV[9])
  redis.call('PEXPIRE', kTimeline, ARGV[9])
end
if expected == '' then
  redis.call('ZADD', kIndex, ARGV[5], id)
  redis.call('ZREMRANGEBYRANK', kIndex, 0, -(tonumber(ARGV[8]) + 1))
end

local n = string.format('%d', redis.call('INCR', kLogSeq))
redis.call('XADD', kLog, 'MAXLEN', ARGV[8], n, 'alert', id, 'key', key, 'kind', ARGV[7], 'at', ARGV[5], 'ver', nextVer)
return 'ok\31' .. nextVer
