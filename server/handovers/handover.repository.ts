import type { Redis } from 'ioredis';
import { Handover, type SpanEvent } from '../../shared/handovers';
import { keys } from '../store/keys';

/** Keys of a site's handovers; they carry the site's hash tag like every site key. */
export const handoverKeys = {
  /** Hash: `json` (the handover as made) and `readAt` / `readBy` once someone on the incoming shift read it. */
  record: (site: string, id: string) => `rw:{${site}}:handover:${id}`,
  /** Sorted set of handover ids by the instant their span ends. */
  index: (site: string) => `rw:{${site}}:handovers:index`,
  seq: (site: string) => `rw:{${site}}:handovers:seq`,
  /** Id of the newest handover: the next one starts where it ended (compared by the create script). */
  last: (site: string) => `rw:{${site}}:handovers:last`,
  /** Id of the handover made for one configured shift change (ms): at most one per change. */
  slot: (site: string, at: number | string) => `rw:{${site}}:handovers:slot:${at}`,
};

// KEYS: 1 last, 2 slot, 3 index, 4 record. ARGV: 1 expected last id ('' = none yet), 2 id,
// 3 span end ms, 4 json, 5 slot ttl ms, 6 slot mode: 'check' (a scheduled change: only if nobody
// made it yet), 'claim' (a close that stands for the coming change), 'none'.
// One script, so two instances (or a restart at that minute) make exactly one handover.
const CREATE_LUA = `
if ARGV[6] == 'check' then
  local s = redis.call('GET', KEYS[2])
  if type(s) == 'string' then return 'slot\\31' .. s end
end
local last = redis.call('GET', KEYS[1])
if type(last) ~= 'string' then last = '' end
if last ~= ARGV[1] then return 'stale\\31' .. last end
redis.call('HSET', KEYS[4], 'json', ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
redis.call('SET', KEYS[1], ARGV[2])
if ARGV[6] ~= 'none' then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[5]) end
return 'ok\\31' .. ARGV[2]`;

// Marks a handover read once: the first reader is kept. KEYS: 1 record. ARGV: 1 at, 2 by.
const READ_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
local r = redis.call('HGET', KEYS[1], 'readAt')
if type(r) == 'string' and r ~= '' then return 'already' end
redis.call('HSET', KEYS[1], 'readAt', ARGV[1], 'readBy', ARGV[2])
return 'ok'`;

/** How long a shift change remembers its handover (longer than any catch-up window). */
const SLOT_TTL_MS = 7 * 86_400_000;
/** Most events one handover reads (a week of a busy site; a longer outage is summarised in part). */
const MAX_EVENTS = 20_000;

const pairs = (flat: string[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
};
const toEvent = ([id, flat]: [string, string[]]): SpanEvent => ({ seq: Number(id.split('-')[0]), fields: pairs(flat) });

export type CreateOutcome = { status: 'ok' | 'slot' | 'stale'; id: string };

/** What the floor looks like while a handover is made, read in one transaction. */
export interface FloorAtHandover {
  seq: number;
  onShift: number;
  booths: Array<{ boothId: string; state: string; since: number | null; reason: string | null }>;
  /** Events after `afterSeq` (or the newest ones back to `sinceMs` when there is no previous handover), oldest first. */
  events: SpanEvent[];
  /** The last event at or before the span's start, if still in the log (its `q`/`occ`/`staff` are the starting state). */
  before: SpanEvent | null;
}

type Fn = (...args: (string | number)[]) => Promise<string>;

/** All Redis I/O of handovers. */
export class HandoverRepository {
  private readonly createFn: Fn;
  private readonly readFn: Fn;

  constructor(private readonly redis: Redis) {
    const r = redis as unknown as Record<string, unknown>;
    if (!r.rwHandoverCreate) redis.defineCommand('rwHandoverCreate', { numberOfKeys: 4, lua: CREATE_LUA });
    if (!r.rwHandoverRead) redis.defineCommand('rwHandoverRead', { numberOfKeys: 1, lua: READ_LUA });
    const fns = redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    this.createFn = fns.rwHandoverCreate!.bind(redis) as Fn;
    this.readFn = fns.rwHandoverRead!.bind(redis) as Fn;
  }

  async newId(siteId: string): Promise<string> {
    return String(await this.redis.incr(handoverKeys.seq(siteId)));
  }

  async lastId(siteId: string): Promise<string> {
    return (await this.redis.get(handoverKeys.last(siteId))) ?? '';
  }

  async slotTaken(siteId: string, at: number): Promise<boolean> {
    return (await this.redis.exists(handoverKeys.slot(siteId, at))) === 1;
  }

  /** Stores `h` if the newest handover is still `expectedLast` (and, for `check`, its shift change has none yet). */
  async create(h: Handover, expectedLast: string, slot: { at: number; mode: 'check' | 'claim' } | null): Promise<CreateOutcome> {
    const s = h.siteId;
    const reply = await this.createFn(
      handoverKeys.last(s),
      handoverKeys.slot(s, slot?.at ?? '-'),
      handoverKeys.index(s),
      handoverKeys.record(s, h.id),
      expectedLast,
      h.id,
      Date.parse(h.to),
      JSON.stringify(h),
      SLOT_TTL_MS,
      slot?.mode ?? 'none',
    );
    const [status, id] = reply.split('\x1f');
    return { status: status as CreateOutcome['status'], id: id ?? '' };
  }

  async markRead(siteId: string, id: string, at: string, by: string): Promise<'ok' | 'already' | 'missing'> {
    return (await this.readFn(handoverKeys.record(siteId, id), at, by)) as 'ok' | 'already' | 'missing';
  }

  async get(siteId: string, id: string): Promise<Handover | null> {
    return (await this.read(siteId, [id]))[0] ?? null;
  }

  /** Handovers whose span ends within [fromMs, toMs], newest first. */
  async between(siteId: string, fromMs: number, toMs: number, limit = 200): Promise<Handover[]> {
    const ids = await this.redis.zrevrangebyscore(handoverKeys.index(siteId), toMs, fromMs, 'LIMIT', 0, limit);
    return this.read(siteId, ids);
  }

  private async read(siteId: string, ids: string[]): Promise<Handover[]> {
    if (ids.length === 0) return [];
    const p = this.redis.pipeline();
    for (const id of ids) p.hgetall(handoverKeys.record(siteId, id));
    const res = (await p.exec()) ?? [];
    return res.flatMap(([err, v]) => {
      if (err) throw err;
      const h = (v ?? {}) as Record<string, string>;
      if (!h.json) return [];
      const parsed = Handover.safeParse({ ...(JSON.parse(h.json) as object), readAt: h.readAt || null, readBy: h.readBy || null });
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** The floor and the events a new handover needs, in one MULTI so they agree with each other. */
  async floorAt(siteId: string, boothIds: string[], after: { seq: number } | { sinceMs: number }): Promise<FloorAtHandover> {
    const m = this.redis.multi();
    m.get(keys.seq(siteId));
    m.hget(keys.floor(siteId), 'onShift');
    for (const b of boothIds) m.hmget(keys.booth(siteId, b), 'state', 'since', 'reason');
    if ('seq' in after) {
      m.xrange(keys.events(siteId), String(after.seq + 1), '+', 'COUNT', MAX_EVENTS);
      m.xrange(keys.events(siteId), String(Math.max(after.seq, 0)), String(Math.max(after.seq, 0)));
    } else {
      m.xrevrange(keys.events(siteId), '+', '-', 'COUNT', MAX_EVENTS);
    }
    const res = await m.exec();
    if (!res) throw new Error('handover transaction aborted');
    const values = res.map(([err, v]) => {
      if (err) throw err;
      return v;
    });
    let i = 0;
    const seq = Number(values[i++] ?? 0);
    const onShift = Number(values[i++] ?? 0);
    const booths = boothIds.map((boothId) => {
      const [state, since, reason] = (values[i++] ?? []) as Array<string | null>;
      return { boothId, state: state || 'free', since: since ? Number(since) : null, reason: reason || null };
    });
    if ('seq' in after) {
      const events = ((values[i++] ?? []) as Array<[string, string[]]>).map(toEvent);
      const before = ((values[i++] ?? []) as Array<[string, string[]]>).map(toEvent)[0] ?? null;
      return { seq, onShift, booths, events, before };
    }
    const newest = ((values[i++] ?? []) as Array<[string, string[]]>).map(toEvent).reverse();
    const since = after.sinceMs;
    const cut = newest.findIndex((e) => Number(e.fields.at ?? 0) >= since);
    const events = cut < 0 ? [] : newest.slice(cut);
    const before = cut < 0 ? (newest.at(-1) ?? null) : cut > 0 ? newest[cut - 1]! : null;
    return { seq, onShift, booths, events, before };
  }
}
