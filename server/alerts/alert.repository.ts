import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { AlertCore } from '../../shared/alerts/machine';
import { TimelineEntry, type AlertDetail } from '../../shared/alerts/schema';
import type { RuleId, Severity } from '../../shared/alerts/settings';
import { keys } from '../store/keys';
import { alertKeys } from './alert.keys';

const TRANSITION_LUA = readFileSync(new URL('./transition.lua', import.meta.url), 'utf8');
const HOLD_LOCK_LUA = `
local v = redis.call('GET', KEYS[1])
if type(v) == 'string' then
  if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;
const RELEASE_LOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

/** How many alerts the history keeps per site, and how long a closed one is kept. */
const HISTORY_LENGTH = 1_000;
const CLOSED_RETENTION_MS = 90 * 86_400_000;

/** One event-log entry, as far as the rules care. */
export interface LogEvent {
  seq: number;
  at: number;
  type: string;
  kind: string | null;
  undoes: number | null;
}

/** An alert as stored: the machine's core plus what it is about and who acknowledged it. */
export interface StoredAlert extends AlertCore {
  id: string;
  key: string;
  rule: RuleId;
  ver: string;
  title: string;
  value: number;
  detail: AlertDetail;
  closed: 'resolved' | null;
  resolvedAt: number | null;
  ackBy: string | null;
  ackAt: number | null;
  ackComment: string | null;
}

/** The fields written by a transition (everything but `ver`, which the script bumps). */
export type AlertFields = Omit<StoredAlert, 'ver'>;

const numOrNull = (v: string | undefined) => (v ? Number(v) : null);

function parse(h: Record<string, string>): StoredAlert | null {
  if (!h.ver || !h.id) return null;
  let detail: AlertDetail = {};
  try {
    detail = JSON.parse(h.detail ?? '{}') as AlertDetail;
  } catch {
    detail = {};
  }
  return {
    id: h.id,
    key: h.key ?? '',
    rule: h.rule as RuleId,
    ver: h.ver,
    state: h.state === 'pending' ? 'pending' : 'firing',
    closed: h.closed === 'resolved' ? 'resolved' : null,
    severity: (h.severity || 'warning') as Severity,
    pendingAt: Number(h.pendingAt ?? 0),
    firedAt: numOrNull(h.firedAt),
    severitySince: Number(h.severitySince ?? 0),
    resolvedAt: numOrNull(h.resolvedAt),
    ackSeverity: (h.ackSeverity || null) as Severity | null,
    ackBy: h.ackBy || null,
    ackAt: numOrNull(h.ackAt),
    ackComment: h.ackComment || null,
    lastNotifiedAt: numOrNull(h.lastNotifiedAt),
    escalatedAt: numOrNull(h.escalatedAt),
    silenceable: h.silenceable !== '0',
    title: h.title ?? '',
    value: Number(h.value ?? 0),
    detail,
  };
}

function flatten(f: AlertFields): string[] {
  const s = (v: number | string | null) => (v === null ? '' : String(v));
  return [
    'id', f.id, 'key', f.key, 'rule', f.rule, 'state', f.state, 'closed', s(f.closed), 'severity', f.severity,
    'pendingAt', s(f.pendingAt), 'firedAt', s(f.firedAt), 'severitySince', s(f.severitySince), 'resolvedAt', s(f.resolvedAt),
    'ackSeverity', s(f.ackSeverity), 'ackBy', s(f.ackBy), 'ackAt', s(f.ackAt), 'ackComment', s(f.ackComment),
    'lastNotifiedAt', s(f.lastNotifiedAt), 'escalatedAt', s(f.escalatedAt), 'silenceable', f.silenceable ? '1' : '0',
    'title', f.title, 'value', String(f.value), 'detail', JSON.stringify(f.detail),
  ];
}

const parseTimeline = (rows: string[]): TimelineEntry[] =>
  rows.flatMap((r) => {
    try {
      const p = TimelineEntry.safeParse(JSON.parse(r));
      return p.success ? [p.data] : [];
    } catch {
      return [];
    }
  });

type TransitionFn = (...args: (string | number)[]) => Promise<string>;
type LockFn = (...args: (string | number)[]) => Promise<number>;

/** All Redis I/O of the alert engine; every transition is one script call. */
export class AlertRepository {
  private readonly transitionFn: TransitionFn;
  private readonly holdFn: LockFn;
  private readonly releaseFn: LockFn;

  constructor(private readonly redis: Redis) {
    const r = redis as unknown as Record<string, unknown>;
    if (!r.rwAlertTransition) redis.defineCommand('rwAlertTransition', { numberOfKeys: 6, lua: TRANSITION_LUA });
    if (!r.rwHoldLock) redis.defineCommand('rwHoldLock', { numberOfKeys: 1, lua: HOLD_LOCK_LUA });
    if (!r.rwReleaseLock) redis.defineCommand('rwReleaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK_LUA });
    const fns = redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    this.transitionFn = fns.rwAlertTransition!.bind(redis) as TransitionFn;
    this.holdFn = fns.rwHoldLock!.bind(redis) as LockFn;
    this.releaseFn = fns.rwReleaseLock!.bind(redis) as LockFn;
  }

  /** The site's open (pending or firing) alerts. */
  async active(siteId: string): Promise<StoredAlert[]> {
    const ids = Object.values(await this.redis.hgetall(alertKeys.active(siteId)));
    // Closed between the two reads: no longer open.
    return (await this.read(siteId, ids)).filter((a) => !a.closed);
  }

  async get(siteId: string, id: string): Promise<StoredAlert | null> {
    return (await this.read(siteId, [id]))[0] ?? null;
  }

  /** The newest `limit` alerts of the site (open and closed), newest first. */
  async recent(siteId: string, limit: number): Promise<StoredAlert[]> {
    const ids = await this.redis.zrevrange(alertKeys.index(siteId), 0, limit - 1);
    return this.read(siteId, ids);
  }

  /** Alerts opened within [fromMs, toMs] (the history page), oldest first, at most `limit`. */
  async openedBetween(siteId: string, fromMs: number, toMs: number, limit = 1_000): Promise<StoredAlert[]> {
    const ids = await this.redis.zrangebyscore(alertKeys.index(siteId), fromMs, toMs, 'LIMIT', 0, limit);
    return this.read(siteId, ids);
  }

  private async read(siteId: string, ids: string[]): Promise<StoredAlert[]> {
    if (ids.length === 0) return [];
    const p = this.redis.pipeline();
    for (const id of ids) p.hgetall(alertKeys.alert(siteId, id));
    const res = (await p.exec()) ?? [];
    return res.flatMap(([err, v]) => {
      if (err) throw err;
      const a = parse((v ?? {}) as Record<string, string>);
      return a ? [a] : [];
    });
  }

  async timelines(siteId: string, ids: string[]): Promise<Map<string, TimelineEntry[]>> {
    const out = new Map<string, TimelineEntry[]>();
    if (ids.length === 0) return out;
    const p = this.redis.pipeline();
    for (const id of ids) p.lrange(alertKeys.timeline(siteId, id), 0, -1);
    const res = (await p.exec()) ?? [];
    ids.forEach((id, i) => {
      const [err, v] = res[i] ?? [null, []];
      if (err) throw err;
      out.set(id, parseTimeline((v ?? []) as string[]));
    });
    return out;
  }

  async newId(siteId: string): Promise<string> {
    return String(await this.redis.incr(alertKeys.seq(siteId)));
  }

  /**
   * Applies one transition if the alert is still at `expectedVer` ('' = a new alert whose key
   * has no open alert). Returns the new version, or null when another caller got there first.
   */
  async transition(
    siteId: string,
    fields: AlertFields,
    expectedVer: string,
    op: 'set' | 'del' | 'keep' | 'drop',
    now: number,
    entry: TimelineEntry | null,
  ): Promise<string | null> {
    const reply = await this.transitionFn(
      alertKeys.alert(siteId, fields.id),
      alertKeys.timeline(siteId, fields.id),
      alertKeys.active(siteId),
      alertKeys.index(siteId),
      alertKeys.log(siteId),
      alertKeys.logSeq(siteId),
      fields.id,
      fields.key,
      expectedVer,
      op,
      now,
      entry ? JSON.stringify(entry) : '',
      entry?.kind ?? 'update',
      HISTORY_LENGTH,
      CLOSED_RETENTION_MS,
      ...flatten(fields),
    );
    const [status, ver] = reply.split('\x1f');
    return status === 'ok' ? (ver ?? null) : null;
  }

  /** Appends a timeline entry that changes no state (where a notification went). */
  async note(siteId: string, id: string, entry: TimelineEntry): Promise<void> {
    await this.redis.rpush(alertKeys.timeline(siteId, id), JSON.stringify(entry));
  }

  /**
   * Events of the site's log that the rules read (overdoses, undos) and the newest event's
   * seq and instant. `after` given: the events after that seq, oldest first (at most `count`);
   * otherwise the newest events back to `sinceMs`, read in pages of `count`.
   */
  async logEvents(siteId: string, opts: { after?: number; sinceMs: number; count?: number }): Promise<{ events: LogEvent[]; complete: boolean }> {
    const count = opts.count ?? 500;
    const toEvent = ([id, flat]: [string, string[]]): LogEvent => {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
      return { seq: Number(id.split('-')[0]), at: Number(f.at ?? 0), type: f.type ?? '', kind: f.kind ?? null, undoes: f.undoes ? Number(f.undoes) : null };
    };
    if (opts.after !== undefined) {
      const rows = await this.redis.xrange(keys.events(siteId), String(opts.after + 1), '+', 'COUNT', count);
      return { events: rows.map(toEvent), complete: rows.length < count };
    }
    const out: LogEvent[] = [];
    let end = '+';
    for (let page = 0; page < 20; page++) {
      const rows = await this.redis.xrevrange(keys.events(siteId), end, '-', 'COUNT', count);
      const events = rows.map(toEvent);
      out.push(...events);
      const last = events.at(-1);
      if (rows.length < count || !last || last.at < opts.sinceMs) return { events: out.reverse(), complete: true };
      end = String(last.seq - 1);
    }
    return { events: out.reverse(), complete: false };
  }

  async displaySeen(siteId: string, screenId: string, at: number): Promise<void> {
    await this.redis.hset(alertKeys.displays(siteId), screenId, String(at));
  }

  /** Forgets a wall screen whose token is gone (its wall-offline alert then resolves). */
  async forgetDisplays(siteId: string, screenIds: readonly string[]): Promise<void> {
    if (screenIds.length) await this.redis.hdel(alertKeys.displays(siteId), ...screenIds);
  }

  async displays(siteId: string): Promise<Array<{ id: string; lastSeen: number }>> {
    const h = await this.redis.hgetall(alertKeys.displays(siteId));
    return Object.entries(h).map(([id, at]) => ({ id, lastSeen: Number(at) }));
  }

  /** Takes or renews the tick lock for `owner`; false while another instance holds it. */
  async holdTickLock(owner: string, ttlMs: number): Promise<boolean> {
    return (await this.holdFn(alertKeys.tickLock(), owner, ttlMs)) === 1;
  }

  async releaseTickLock(owner: string): Promise<void> {
    await this.releaseFn(alertKeys.tickLock(), owner);
  }

  /** Fields of per-hour counter hashes, in one pipelined round trip (for the backtest). */
  async hourCounters(siteId: string, slots: Array<{ date: string; hour: number }>, fields: string[]): Promise<Array<Record<string, number> | null>> {
    const p = this.redis.pipeline();
    for (const s of slots) p.hmget(keys.hour(siteId, s.date, s.hour), ...fields);
    const res = (await p.exec()) ?? [];
    return res.map(([err, v]) => {
      if (err) throw err;
      const vals = (v ?? []) as Array<string | null>;
      if (vals.every((x) => x === null)) return null;
      return Object.fromEntries(fields.map((f, i) => [f, Number(vals[i] ?? 0) || 0]));
    });
  }

  /** The VAPID key pair, created once by whichever instance starts first. */
  async vapid(create: () => { publicKey: string; privateKey: string }): Promise<{ publicKey: string; privateKey: string }> {
    const existing = await this.redis.get(alertKeys.vapid());
    if (existing) return JSON.parse(existing) as { publicKey: string; privateKey: string };
    await this.redis.set(alertKeys.vapid(), JSON.stringify(create()), 'NX');
    return JSON.parse((await this.redis.get(alertKeys.vapid()))!) as { publicKey: string; privateKey: string };
  }

  async savePushSubscription(id: string, json: string): Promise<void> {
    await this.redis.hset(alertKeys.pushSubscriptions(), id, json);
  }

  async pushSubscriptions(): Promise<Array<{ id: string; json: string }>> {
    return Object.entries(await this.redis.hgetall(alertKeys.pushSubscriptions())).map(([id, json]) => ({ id, json }));
  }

  async deletePushSubscription(id: string): Promise<void> {
    await this.redis.hdel(alertKeys.pushSubscriptions(), id);
  }
}
