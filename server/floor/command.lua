-- One floor command, applied atomically: idempotency check, state check, change, seq bump,
-- counters for the event's business date and hour, event log entry, stored reply.
-- Runs on real Redis (Lua 5.1) and on the embedded engine (fengari, Lua 5.3, no cjson), so:
-- numbers are formatted with %d, replies are strings joined by \31, and only literal tables
-- are returned.
--
-- KEYS: 1 seq, 2 floor, 3 booth, 4 day counters, 5 hour counters, 6 event stream, 7 idempotency,
--       8 undone marker (undo only), 9 rooms' early openings, 10 incidents (all),
--       11 incidents live (open and recent), 12 incidents by time
-- ARGV: 1 cmd, 2 now ms, 3 use idempotency (1/0), 4 request fingerprint, 5 idempotency ttl ms,
--       6 event log max length, 7 allowed from-states (comma list), 8 to-state,
--       9 a1, 10 a2, 11 a3 (command arguments; queue-leave: a1 the site sent to, or ''), 12 booth id, 13 actor, 14 business date, 15 hour,
--       16 room id, 17 whether the room's hours have it open now (1/0, '' when not asked), 18 a4,
--       19 live channel ('' = Node pushes the change itself), 20 live header (see the end)
--
-- Rooms: a check-in in a room its hours have closed (ARGV 17 = 0, decided in Node by the pure
-- rule in shared/openingHours.ts) is refused with `room_closed` unless a lead opened the room
-- early (`room-open`, a1 = until ms); `room-close` ends such an early opening.
-- Incidents (one record per incident, `kind booth naloxone ambulance openedAt closedAt outcome
-- openedBy closedBy` joined by \31, its id the seq of the event that recorded it): `incident`
-- (a1 kind, a2 naloxone, a3 ambulance, a4 1 = stays open until closed) and `incident-close`
-- (a1 id, a2 outcome, a3 naloxone given since, a4 ambulance called since).
--
-- Undo (cmd 'undo'): a1 the seq to undo, a2 the undo window ms, a3 how long to remember that it
-- was undone (ms); to-state is where the undone booth command led. KEYS 3–5 are the undone
-- event's booth, day and hour (Node reads the immutable event first to name them), so the
-- compensation lands in the buckets the original counted in. Events record what undo needs:
-- `from`/`prevSince`/`prevReason` of a booth, an ended session's fields and `sessionMs`, `served`
-- when a check-in took someone from the queue, and `prev` for queue-set and staffing.

local unpack = unpack or table.unpack
local SEP = '\31'
local cmd, now = ARGV[1], tonumber(ARGV[2])
local kSeq, kFloor, kBooth, kDay, kHour, kEvents, kIdem = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local kUndone, kRooms, kIncidents, kIncLive, kIncTime = KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12]
local RECENT_MS = 30 * 60000

local function int(x) return string.format('%d', x) end
-- A missing field is false in Redis and may be a userdata null in the embedded engine.
local function str(v, default) if type(v) == 'string' then return v end return default end
local function hourIntakes() return str(redis.call('HGET', kHour, 'intakes'), '0') end

if ARGV[3] == '1' then
  local stored = redis.call('GET', kIdem)
  if type(stored) == 'string' then
    local cut = string.find(stored, '\30', 1, true)
    if string.sub(stored, 1, cut - 1) ~= ARGV[4] then
      return { 'mismatch', '0', {}, '0' }
    end
    return { string.sub(stored, cut + 1), '1', redis.call('HGETALL', kDay), hourIntakes() }
  end
end

local floor = redis.call('HMGET', kFloor, 'queue', 'onShift', 'occupied')
local queue, onShift, occupied = tonumber(str(floor[1], '0')), tonumber(str(floor[2], '0')), tonumber(str(floor[3], '0'))
local booth = redis.call('HMGET', kBooth, 'state', 'since', 'substance', 'route', 'assisted', 'reason')
local bState = str(booth[1], 'free')
local bSince, bSubstance, bRoute = str(booth[2], ''), str(booth[3], ''), str(booth[4], '')
local bAssisted, bReason = str(booth[5], '0'), str(booth[6], '')
local isBooth = ARGV[7] ~= ''
-- What the reply says about an incident or a room the command touched.
local incId, incRec, incRemoved = '', '', ''
local roomId, roomUntil, roomBy = '', '', ''

local function split(s)
  local out, from = {}, 1
  while true do
    local at = string.find(s, SEP, from, true)
    if not at then out[#out + 1] = string.sub(s, from) return out end
    out[#out + 1] = string.sub(s, from, at - 1)
    from = at + 1
  end
end

local function reply(status, seq, code)
  local rec = incRec
  if rec == '' then rec = table.concat({ '', '', '', '', '', '', '', '', '' }, SEP) end
  return table.concat({ status, seq, bState, bSince, bSubstance, bRoute, bAssisted, bReason,
    int(queue), int(onShift), int(occupied), code, incId, rec, incRemoved, roomId, roomUntil, roomBy }, SEP)
end

-- A room's early opening: until (ms) and who, or nil.
local function earlyOpening(id)
  local v = redis.call('HGET', kRooms, id)
  if type(v) ~= 'string' or v == '' then return nil end
  local parts = split(v)
  return tonumber(parts[1]), parts[2], v
end

-- Stores an incident record (all incidents, and the live set of open and recent ones); the
-- live set forgets closed incidents opened more than 30 minutes ago.
local function saveIncident(id, r)
  local rec = table.concat(r, SEP)
  redis.call('HSET', kIncidents, id, rec)
  redis.call('HSET', kIncLive, id, rec)
  -- A flat reply: a table on Redis, a 1-based array (userdata, `#` works) on the embedded engine.
  local live = redis.call('HGETALL', kIncLive)
  for i = 1, #live - 1, 2 do
    local other = split(tostring(live[i + 1]))
    local opened = tonumber(other[5])
    if other[6] ~= '' and opened and opened < now - RECENT_MS then redis.call('HDEL', kIncLive, tostring(live[i])) end
  end
  incId, incRec = id, rec
end

local function readIncident(id)
  local raw = redis.call('HGET', kIncidents, id)
  if type(raw) ~= 'string' then return nil end
  incId, incRec = id, raw
  return split(raw)
end

local function finish(result)
  if ARGV[3] == '1' then
    redis.call('SET', kIdem, ARGV[4] .. '\30' .. result, 'PX', ARGV[5])
  end
  -- Published live (ARGV[19]): the day's counters travel in the message, and the caller's reply
  -- does without them (a few dozen fields less to send and parse on every command).
  if ARGV[19] and ARGV[19] ~= '' then return { result, '0', {}, hourIntakes() } end
  return { result, '0', redis.call('HGETALL', kDay), hourIntakes() }
end

local function conflict(code)
  return finish(reply('conflict', str(redis.call('GET', kSeq), '0'), code))
end

local function count(field, by)
  redis.call('HINCRBY', kDay, field, int(by or 1))
  redis.call('HINCRBY', kHour, field, int(by or 1))
end

local function peak(field, value)
  for _, k in ipairs({ kDay, kHour }) do
    if value > tonumber(str(redis.call('HGET', k, field), '0')) then
      redis.call('HSET', k, field, int(value))
    end
  end
end

-- Ends a running session (check-out, or out of service while occupied): counts its minutes.
-- Returns the milliseconds counted, so the event can record them for an undo.
local function endSession(started)
  local ms = 0
  count('checkouts')
  if started and now > started then ms = now - started end
  if ms > 0 then count('sessionMs', ms) end
  occupied = math.max(occupied - 1, 0)
  return ms
end

local event = {}
local function note(field, value)
  if value ~= nil and value ~= '' then
    event[#event + 1] = field
    event[#event + 1] = value
  end
end

if isBooth then
  local allowed = false
  for s in string.gmatch(ARGV[7], '[^,]+') do
    if s == bState then allowed = true end
  end
  if not allowed then return conflict('booth_state') end
  if cmd == 'check-in' and ARGV[17] == '0' then
    local untilMs = earlyOpening(ARGV[16])
    if not untilMs or untilMs <= now then return conflict('room_closed') end
  end
  local was, wasSince, wasReason, startedAt = bState, bSince, bReason, tonumber(bSince)
  bState, bSince = ARGV[8], ARGV[2]
  if cmd == 'check-in' then
    bSubstance, bRoute, bAssisted, bReason = ARGV[9], ARGV[10], ARGV[11], ''
    occupied = occupied + 1
    count('intakes')
    count('sub:' .. bSubstance)
    count('route:' .. bRoute)
    if bAssisted == '1' then count('assisted') end
    if queue > 0 then
      queue = queue - 1
      count('q:served')
      note('served', '1')
    end
    peak('peak:occ', occupied)
  else
    if was == 'occupied' then
      -- The ended session's fields, so an undo can put it back exactly.
      note('sessionMs', int(endSession(startedAt)))
      note('substance', bSubstance)
      note('route', bRoute)
      if bAssisted == '1' then note('assisted', '1') end
    end
    bSubstance, bRoute, bAssisted, bReason = '', '', '0', ''
    if cmd == 'out-of-service' then bReason = ARGV[9] end
  end
  redis.call('HSET', kBooth, 'state', bState, 'since', bSince, 'substance', bSubstance,
    'route', bRoute, 'assisted', bAssisted, 'reason', bReason)
  if cmd == 'check-in' then
    note('substance', bSubstance)
    note('route', bRoute)
    if bAssisted == '1' then note('assisted', '1') end
  end
  note('reason', bReason)
  note('from', was)
  note('prevSince', wasSince)
  if was == 'out_of_service' then note('prevReason', wasReason) end
elseif cmd == 'queue-join' then
  queue = queue + 1
  count('q:join')
  peak('peak:queue', queue)
elseif cmd == 'queue-leave' then
  if queue < 1 then return conflict('queue_empty') end
  queue = queue - 1
  count('q:leave')
  -- a1: the network site staff sent the person to (issue 18), counted per site as `sent:<id>`.
  if ARGV[9] ~= '' then
    count('sent:' .. ARGV[9])
    note('sentTo', ARGV[9])
  end
elseif cmd == 'queue-set' then
  note('prev', int(queue))
  queue = tonumber(ARGV[9])
  note('count', ARGV[9])
  peak('peak:queue', queue)
elseif cmd == 'staffing' then
  note('prev', int(onShift))
  onShift = tonumber(ARGV[9])
  note('onShift', ARGV[9])
elseif cmd == 'incident' then
  count('inc:' .. ARGV[9])
  if ARGV[10] == '1' then count('naloxone') end
  if ARGV[11] == '1' then count('ambulance') end
  note('kind', ARGV[9])
  if ARGV[10] == '1' then note('naloxone', '1') end
  if ARGV[11] == '1' then note('ambulance', '1') end
  -- Its id is the seq this event is about to get (nothing else can bump it inside the script).
  local id = int(tonumber(str(redis.call('GET', kSeq), '0')) + 1)
  local closedAt, closedBy = '', ''
  if ARGV[18] ~= '1' then closedAt, closedBy = ARGV[2], ARGV[13] end
  saveIncident(id, { ARGV[9], ARGV[12], ARGV[10], ARGV[11], ARGV[2], closedAt, '', ARGV[13], closedBy })
  redis.call('ZADD', kIncTime, ARGV[2], id)
  note('incident', id)
elseif cmd == 'incident-close' then
  local r = readIncident(ARGV[9])
  if not r then return conflict('incident_unknown') end
  if r[6] ~= '' then return conflict('incident_closed') end
  if ARGV[11] == '1' and r[3] ~= '1' then
    count('naloxone')
    r[3] = '1'
    note('addNaloxone', '1')
  end
  if ARGV[18] == '1' and r[4] ~= '1' then
    count('ambulance')
    r[4] = '1'
    note('addAmbulance', '1')
  end
  r[6], r[7], r[9] = ARGV[2], ARGV[10], ARGV[13]
  saveIncident(ARGV[9], r)
  note('incident', ARGV[9])
  note('kind', r[1])
  note('outcome', ARGV[10])
elseif cmd == 'room-open' then
  if ARGV[17] == '1' then return conflict('room_open') end
  local _, _, prev = earlyOpening(ARGV[16])
  roomId, roomUntil, roomBy = ARGV[16], ARGV[9], ARGV[13]
  redis.call('HSET', kRooms, roomId, roomUntil .. SEP .. roomBy)
  note('room', roomId)
  note('until', roomUntil)
  note('prev', prev)
elseif cmd == 'room-close' then
  local untilMs, _, prev = earlyOpening(ARGV[16])
  roomId = ARGV[16]
  if not untilMs or untilMs <= now then return conflict('room_not_opened_early') end
  redis.call('HDEL', kRooms, roomId)
  note('room', roomId)
  note('prev', prev)
elseif cmd == 'registration' then
  count('registrations')
elseif cmd == 'undo' then
  -- A compensating command: reverses what event ARGV[9] did, if the caller made it, it is
  -- recent, not undone yet, and nothing has moved on since. Peaks are not lowered.
  local found = redis.call('XRANGE', kEvents, ARGV[9], ARGV[9])
  if #found == 0 then return conflict('undo_unknown') end
  -- Redis replies {id, {field, value, …}}; the embedded engine hands nested replies over as
  -- 0-based JavaScript arrays (userdata with a length).
  local row, f = found[1], {}
  if type(row) == 'table' then
    local flat = row[2]
    for i = 1, #flat, 2 do f[flat[i]] = flat[i + 1] end
  else
    local flat = row[1]
    for i = 0, flat.length - 1, 2 do f[flat[i]] = flat[i + 1] end
  end
  local t = f.type
  if f.actor ~= ARGV[13] then return conflict('undo_not_own') end
  if t == 'undo' then return conflict('undo_not_undoable') end
  if now - tonumber(f.at) > tonumber(ARGV[10]) then return conflict('undo_expired') end
  if type(redis.call('GET', kUndone)) == 'string' then return conflict('undo_already') end
  if ARGV[8] ~= '' then
    -- A booth command: the booth must still be where that command left it, at that instant.
    if f.from == nil then return conflict('undo_not_undoable') end
    if bState ~= ARGV[8] or bSince ~= f.at then return conflict('undo_state') end
    if t == 'check-in' then
      count('intakes', -1)
      count('sub:' .. f.substance, -1)
      count('route:' .. f.route, -1)
      if f.assisted == '1' then count('assisted', -1) end
      if f.served == '1' then
        count('q:served', -1)
        queue = queue + 1
      end
      occupied = math.max(occupied - 1, 0)
      bSubstance, bRoute, bAssisted = '', '', '0'
    elseif f.from == 'occupied' then
      count('checkouts', -1)
      if f.sessionMs and f.sessionMs ~= '0' then count('sessionMs', -tonumber(f.sessionMs)) end
      occupied = occupied + 1
      bSubstance, bRoute, bAssisted = f.substance or '', f.route or '', f.assisted or '0'
    else
      bSubstance, bRoute, bAssisted = '', '', '0'
    end
    bState, bSince, bReason = f.from, f.prevSince or '', f.prevReason or ''
    redis.call('HSET', kBooth, 'state', bState, 'since', bSince, 'substance', bSubstance,
      'route', bRoute, 'assisted', bAssisted, 'reason', bReason)
  elseif t == 'queue-join' then
    if queue < 1 then return conflict('undo_state') end
    queue = queue - 1
    count('q:join', -1)
  elseif t == 'queue-leave' then
    queue = queue + 1
    count('q:leave', -1)
    if f.sentTo and f.sentTo ~= '' then count('sent:' .. f.sentTo, -1) end
  elseif t == 'queue-set' or t == 'staffing' then
    -- Only while the value is still the one set: a later change must not be overwritten.
    local current = t == 'staffing' and onShift or queue
    if f.prev == nil or current ~= tonumber(f.count or f.onShift) then return conflict('undo_state') end
    if t == 'staffing' then onShift = tonumber(f.prev) else queue = tonumber(f.prev) end
  elseif t == 'incident' then
    -- Only while nobody has closed it with an outcome (an `other` is recorded closed, without one).
    local r = readIncident(ARGV[9])
    if r and r[6] ~= '' and r[7] ~= '' then return conflict('undo_state') end
    count('inc:' .. f.kind, -1)
    if f.naloxone == '1' then count('naloxone', -1) end
    if f.ambulance == '1' then count('ambulance', -1) end
    if r then
      redis.call('HDEL', kIncidents, ARGV[9])
      redis.call('HDEL', kIncLive, ARGV[9])
      redis.call('ZREM', kIncTime, ARGV[9])
      incRemoved = '1'
    end
  elseif t == 'incident-close' then
    local r = readIncident(f.incident)
    if not r or r[6] ~= f.at then return conflict('undo_state') end
    if f.addNaloxone == '1' then
      count('naloxone', -1)
      r[3] = '0'
    end
    if f.addAmbulance == '1' then
      count('ambulance', -1)
      r[4] = '0'
    end
    r[6], r[7], r[9] = '', '', ''
    saveIncident(f.incident, r)
  elseif t == 'room-open' or t == 'room-close' then
    -- Only while the room's early opening is still the one that action left.
    local _, _, current = earlyOpening(f.room)
    local left = ''
    if t == 'room-open' then left = f['until'] .. SEP .. f.actor end
    if (current or '') ~= left then return conflict('undo_state') end
    roomId = f.room
    if f.prev and f.prev ~= '' then
      redis.call('HSET', kRooms, roomId, f.prev)
      local parts = split(f.prev)
      roomUntil, roomBy = parts[1], parts[2]
    else
      redis.call('HDEL', kRooms, roomId)
    end
  elseif t == 'registration' then
    count('registrations', -1)
  else
    return conflict('undo_not_undoable')
  end
  redis.call('SET', kUndone, '1', 'PX', ARGV[11])
  note('undoes', ARGV[9])
  note('undoneType', t)
else
  return redis.error_reply('unknown command ' .. cmd)
end

redis.call('HSET', kFloor, 'queue', int(queue), 'onShift', int(onShift), 'occupied', int(occupied))
local seq = int(redis.call('INCR', kSeq))
-- The floor as this event left it: handover summaries read their peaks and staffing from these.
note('q', int(queue))
note('occ', int(occupied))
note('staff', int(onShift))
note('booth', ARGV[12])
note('actor', ARGV[13])
if ARGV[3] == '1' then note('idem', string.sub(kIdem, string.find(kIdem, ':idem:', 1, true) + 6)) end
-- The stream id is the seq (`<seq>-0`): unique and rising per site, so readers can resume
-- from a seq, and it behaves the same on both engines (the embedded one numbers '*' ids badly).
redis.call('XADD', kEvents, 'MAXLEN', ARGV[6], seq, 'seq', seq, 'type', cmd, 'at', ARGV[2],
  'date', ARGV[14], 'hour', ARGV[15], unpack(event))
local result = reply('ok', seq, '')
if ARGV[19] and ARGV[19] ~= '' then
  -- Live push from inside the commit (issue 16): Redis runs scripts one at a time, so every
  -- instance hears a site's changes in seq order, even if the instance that ran this dies now.
  -- Message: Node's header (ARGV[20]) RS this reply RS the hour's intakes RS the day's counters.
  local day, flat = redis.call('HGETALL', kDay), {}
  for i = 1, #day do flat[i] = tostring(day[i]) end
  redis.call('PUBLISH', ARGV[19], table.concat({ ARGV[20], result, hourIntakes(), table.concat(flat, SEP) }, '\30'))
end
return finish(result)
