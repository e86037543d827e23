/**
 * The Lua scripts of the Redis run log: every change to a run is one script, so it is atomic
 * across instances (seq assignment, "nothing after done", "first accepted answer wins", cancel,
 * expiry, leases). Keys of one run share a hash tag `{runId}`; the lease set and the client sets
 * are global, so the log runs on a standalone Redis (or a cluster proxy), not on Redis Cluster.
 *
 * A run's keys: `<p>{id}:e` its events (a stream, entry id `<seq>-0`, fields `t` type and `e`
 * the body JSON), `<p>{id}:m` its header (hash: seq, fin, th, ct, ck, pb, pr; with trimming cs/cj the checkpoint's seq and snapshot JSON, tr the last trimmed seq), `<p>{id}:in` its
 * input requests (hash token → o open / a answered / x expired), `<p>{id}:c` the commands for
 * its producer (a stream: k kind, d JSON). Global: `<p>leases` (sorted set run → lease expiry,
 * ms of Redis time), `<p>client:<key>` (set of a client's active runs), `<p>thread:<id>` (list of a
 * conversation's run ids in creation order, kept as long as a newly created run's keys).
 */

/** Shared helpers, prepended to every script that changes a run. */
const PRELUDE = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function rkey(prefix, id, suffix) return prefix .. '{' .. id .. '}:' .. suffix end
-- Append events (types[i], bodies[i]); stops after a 'done'. Returns first seq, last seq, finished.
-- \`extra\` (optional): more header fields to set in the same HSET.
local function append(prefix, id, types, bodies, extra)
  local e = rkey(prefix, id, 'e')
  local m = rkey(prefix, id, 'm')
  local seq = tonumber(redis.call('HGET', m, 'seq') or '0')
  local first = seq + 1
  local fin = 0
  for i = 1, #types do
    seq = seq + 1
    redis.call('XADD', e, seq .. '-0', 't', types[i], 'e', bodies[i])
    if types[i] == 'done' then fin = 1 break end
  end
  if extra then
    redis.call('HSET', m, 'seq', seq, unpack(extra(first, seq, fin)))
  else
    redis.call('HSET', m, 'seq', seq)
  end
  return first, seq, fin
end
-- The run ended: mark it, stop counting it, keep its keys for ttl ms.
local function finish(prefix, id, ttl)
  local m = rkey(prefix, id, 'm')
  redis.call('HSET', m, 'fin', 1)
  redis.call('ZREM', prefix .. 'leases', id)
  local ck = redis.call('HGET', m, 'ck')
  if ck and ck ~= '' then redis.call('SREM', prefix .. 'client:' .. ck, id) end
  for _, s in ipairs({'e', 'm', 'in', 'c'}) do redis.call('PEXPIRE', rkey(prefix, id, s), ttl) end
end
-- Expire every open request of the run.
local function expire_open(prefix, id)
  local inputs = rkey(prefix, id, 'in')
  local all = redis.call('HGETALL', inputs)
  for i = 1, #all, 2 do
    if all[i + 1] == 'o' then redis.call('HSET', inputs, all[i], 'x') end
  end
end
-- One producer batch: idempotent by its number, opens its requests, nothing after done.
local function append_one(prefix, id, batch, ttl, opens, types, bodies)
  local m = rkey(prefix, id, 'm')
  local head = redis.call('HMGET', m, 'fin', 'pb', 'pr')
  if not head[1] then return {'missing'} end
  if batch > 0 and tonumber(head[2] or '0') >= batch and head[3] and head[3] ~= '' then
    local first, last, fin = string.match(head[3], '^(%d+),(%d+),(%d+)$')
    return {'ok', tonumber(first), tonumber(last), tonumber(fin)}
  end
  if head[1] == '1' then return {'finished'} end
  if #opens > 0 then
    local inputs = rkey(prefix, id, 'in')
    for k = 1, #opens do
      if redis.call('HEXISTS', inputs, opens[k]) == 0 then redis.call('HSET', inputs, opens[k], 'o') end
    end
  end
  local extra = nil
  if batch > 0 then
    extra = function(first, last, fin) return {'pb', batch, 'pr', first .. ',' .. last .. ',' .. fin} end
  end
  local first, last, fin = append(prefix, id, types, bodies, extra)
  if fin == 1 then finish(prefix, id, ttl) end
  return {'ok', first, last, fin}
end
-- Read n (type, body) pairs from ARGV starting at index i.
local function events_at(i, n)
  local types, bodies = {}, {}
  for k = 0, n - 1 do
    types[#types + 1] = ARGV[i + 2 * k]
    bodies[#bodies + 1] = ARGV[i + 2 * k + 1]
  end
  return types, bodies
end
`;

/** A script: its source and the number of KEYS it takes (all scripts here take none: keys are built from the prefix). */
export interface LogScript {
  readonly name: string;
  readonly lua: string;
}

function script(name: string, body: string): LogScript {
  return { name, lua: `${PRELUDE}\n${body}` };
}

/**
 * create(prefix, id, threadId, clientKey, clientLimit, activeTtl, leaseMs) →
 * {'ok', createdAt} | {'exists'} | {'limit', active}. The creating instance holds the first lease.
 */
export const CREATE = script(
  'create',
  `
local prefix, id, th, ck, limit, ttl, lease = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local m = rkey(prefix, id, 'm')
if redis.call('EXISTS', m) == 1 then return {'exists'} end
if ck ~= '' then
  local ckey = prefix .. 'client:' .. ck
  local active = redis.call('SCARD', ckey)
  if active >= limit then return {'limit', active} end
  redis.call('SADD', ckey, id)
  redis.call('PEXPIRE', ckey, ttl)
end
local now = now_ms()
redis.call('HSET', m, 'seq', 0, 'fin', 0, 'ct', now, 'th', th, 'ck', ck, 'pb', 0, 'pr', '')
redis.call('PEXPIRE', m, ttl)
redis.call('ZADD', prefix .. 'leases', now + lease, id)
if th ~= '' then
  local tkey = prefix .. 'thread:' .. th
  redis.call('RPUSH', tkey, id)
  redis.call('PEXPIRE', tkey, ttl)
end
return {'ok', now}
`,
);

/**
 * append(prefix, finishedTtl, nRuns, then per run: id, batch, nOpens, opens…, nEvents, (type, body)…) →
 * per run {'ok', first, last, fin} | {'finished'} | {'missing'}. Appends of many runs go in one
 * call (the log groups the appends issued in the same turn).
 */
export const APPEND = script(
  'append',
  `
local prefix, ttl, n = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local i = 4
local out = {}
for r = 1, n do
  local id, batch, nopens = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  i = i + 3
  local opens = {}
  for k = 1, nopens do opens[k] = ARGV[i + k - 1] end
  i = i + nopens
  local nev = tonumber(ARGV[i])
  i = i + 1
  local types, bodies = {}, {}
  for k = 1, nev do
    types[k] = ARGV[i]
    bodies[k] = ARGV[i + 1]
    i = i + 2
  end
  out[r] = append_one(prefix, id, batch, ttl, opens, types, bodies)
end
return out
`,
);

/**
 * answer(prefix, id, token, replyJson, acceptedBody, finishedTtl) →
 * {'ok', seq} | {'answered'} | {'expired'} | {'finished'} | {'unknown'} | {'missing'}
 */
export const ANSWER = script(
  'answer',
  `
local prefix, id, token, reply, accepted = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local m = rkey(prefix, id, 'm')
local fin = redis.call('HGET', m, 'fin')
if not fin then return {'missing'} end
local inputs = rkey(prefix, id, 'in')
local state = redis.call('HGET', inputs, token)
if state == 'a' then return {'answered'} end
if state == 'x' then return {'expired'} end
if fin == '1' then return {'finished'} end
if state ~= 'o' then return {'unknown'} end
redis.call('HSET', inputs, token, 'a')
local _, seq = append(prefix, id, {'input_accepted'}, {accepted})
redis.call('XADD', rkey(prefix, id, 'c'), '*', 'k', 'reply', 'd', reply)
return {'ok', seq}
`,
);

/** cancel(prefix, id, finishedTtl, nEvents, (type, body)…) → {'ok'} | {'finished'} | {'missing'} */
export const CANCEL = script(
  'cancel',
  `
local prefix, id, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
local m = rkey(prefix, id, 'm')
local fin = redis.call('HGET', m, 'fin')
if not fin then return {'missing'} end
if fin == '1' then return {'finished'} end
expire_open(prefix, id)
local types, bodies = events_at(5, tonumber(ARGV[4]))
append(prefix, id, types, bodies)
redis.call('XADD', rkey(prefix, id, 'c'), '*', 'k', 'cancel', 'd', '{}')
finish(prefix, id, ttl)
return {'ok'}
`,
);

/** expire(prefix, id, token, finishedTtl, nEvents, (type, body)…) → 1 when the request was open and is now expired, else 0 */
export const EXPIRE = script(
  'expire',
  `
local prefix, id, token, ttl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local m = rkey(prefix, id, 'm')
if redis.call('HGET', m, 'fin') ~= '0' then return 0 end
local inputs = rkey(prefix, id, 'in')
if redis.call('HGET', inputs, token) ~= 'o' then return 0 end
redis.call('HSET', inputs, token, 'x')
local types, bodies = events_at(6, tonumber(ARGV[5]))
local _, _, fin = append(prefix, id, types, bodies)
if fin == 1 then finish(prefix, id, ttl) end
return 1
`,
);

/** renew(prefix, leaseMs, activeTtl, id…): the lease of each unfinished run runs until now + leaseMs; its keys live activeTtl more. */
export const RENEW = script(
  'renew',
  `
local prefix, lease, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local until_ms = now_ms() + lease
for k = 4, #ARGV do
  local id = ARGV[k]
  if redis.call('HGET', rkey(prefix, id, 'm'), 'fin') == '0' then
    redis.call('ZADD', prefix .. 'leases', until_ms, id)
    for _, s in ipairs({'e', 'm', 'in', 'c'}) do redis.call('PEXPIRE', rkey(prefix, id, s), ttl) end
  end
end
return until_ms
`,
);

/**
 * sweep(prefix, limit, finishedTtl, nEvents, (type, body)…): fail every run whose lease ran out —
 * its open requests expire, the events are appended, its producer is told — and return their ids.
 */
export const SWEEP = script(
  'sweep',
  `
local prefix, limit, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local leases = prefix .. 'leases'
local due = redis.call('ZRANGEBYSCORE', leases, '-inf', now_ms(), 'LIMIT', 0, limit)
local failed = {}
local types, bodies = events_at(5, tonumber(ARGV[4]))
for _, id in ipairs(due) do
  redis.call('ZREM', leases, id)
  if redis.call('HGET', rkey(prefix, id, 'm'), 'fin') == '0' then
    expire_open(prefix, id)
    append(prefix, id, types, bodies)
    redis.call('XADD', rkey(prefix, id, 'c'), '*', 'k', 'ended', 'd', '{"reason":"producer_lost"}')
    finish(prefix, id, ttl)
    failed[#failed + 1] = id
  end
end
return failed
`,
);

/**
 * checkpoint(prefix, id, seq, snapshotJson, trimThrough) → the run's trimmedThrough. Stores the
 * checkpoint (header fields cs, cj) unless a newer one is there, then trims the stream exactly
 * through `trimThrough` (never past the stored checkpoint's seq) and records it (header field tr).
 */
export const CHECKPOINT = script(
  'checkpoint',
  `
local prefix, id, seq, json, through = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
local m = rkey(prefix, id, 'm')
if redis.call('EXISTS', m) == 0 then return 0 end
local stored = tonumber(redis.call('HGET', m, 'cs') or '0')
if stored < seq then
  redis.call('HSET', m, 'cs', seq, 'cj', json)
  stored = seq
end
local tr = tonumber(redis.call('HGET', m, 'tr') or '0')
if through > stored then through = stored end
if through > tr then
  redis.call('XTRIM', rkey(prefix, id, 'e'), 'MINID', '=', (through + 1) .. '-0')
  redis.call('HSET', m, 'tr', through)
  tr = through
end
return tr
`,
);

/** Every script, for loading. */
export const SCRIPTS: readonly LogScript[] = [CREATE, APPEND, ANSWER, CANCEL, EXPIRE, RENEW, SWEEP, CHECKPOINT];
