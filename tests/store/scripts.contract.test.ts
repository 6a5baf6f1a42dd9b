import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { AlertRepository, type AlertFields } from '../../server/alerts/alert.repository';
import { AuditRepository } from '../../server/audit/audit.repository';
import { SiteConfigRepository } from '../../server/sites/siteConfig.repository';
import { keys } from '../../server/store/keys';
import { SiteConfig } from '../../shared/siteConfig';
import { storeEngines, useStoreEngine } from '../support/engines';

/**
 * Every Lua script besides the floor's command script (which has its own contract files), on
 * the embedded engine and on Redis: alert transitions and the tick lock, the audit log, and the
 * site settings save. A script that only one engine runs cannot ship (issue 13: settings once
 * failed on the embedded engine with "attempt to perform arithmetic on a nil value").
 */
const engines = storeEngines();

describe.each(engines)('store scripts on $name', (engine) => {
  let redis: Redis;
  useStoreEngine(engine, (r) => (redis = r));

  const alert = (over: Partial<AlertFields> = {}): AlertFields => ({
    id: '1',
    key: 'queue',
    rule: 'queue',
    state: 'firing',
    severity: 'warning',
    pendingAt: 1_000,
    firedAt: 1_000,
    severitySince: 1_000,
    ackSeverity: null,
    lastNotifiedAt: 1_000,
    escalatedAt: null,
    silenceable: true,
    ackBy: null,
    ackAt: null,
    ackComment: null,
    closed: null,
    resolvedAt: null,
    title: 'Queue 7 waiting (limit 5)',
    value: 7,
    detail: { value: 7, threshold: 5 },
    ...over,
  });

  it('alert transitions: one open alert per key, versions compared, figures refreshed without a timeline entry, closed for good', async () => {
    const repo = new AlertRepository(redis);
    const v1 = await repo.transition('alpha', alert(), '', 'set', 1_000, { at: 'x', kind: 'fired', severity: 'warning' });
    expect(v1).toBe('1');
    // A second "new" alert for the same key (another instance) loses.
    expect(await repo.transition('alpha', alert({ id: '2' }), '', 'set', 1_000, { at: 'x', kind: 'fired' })).toBeNull();
    // Stale version: refused.
    expect(await repo.transition('alpha', alert({ value: 8 }), '0', 'keep', 2_000, null)).toBeNull();
    // The figures move (no timeline entry): stored, version bumped.
    const v2 = await repo.transition('alpha', alert({ value: 9, detail: { value: 9, threshold: 5 }, title: 'Queue 9 waiting (limit 5)' }), v1!, 'keep', 2_000, null);
    expect(v2).toBe('2');
    const [open] = await repo.active('alpha');
    expect(open).toMatchObject({ id: '1', value: 9, detail: { value: 9, threshold: 5 }, ver: '2' });
    expect((await repo.timelines('alpha', ['1'])).get('1')).toHaveLength(1);
    const v3 = await repo.transition('alpha', alert({ closed: 'resolved', resolvedAt: 3_000 }), v2!, 'del', 3_000, { at: 'y', kind: 'resolved' });
    expect(v3).toBe('3');
    expect(await repo.active('alpha')).toEqual([]);
    expect(await repo.transition('alpha', alert(), v3!, 'keep', 4_000, null)).toBeNull();
    expect((await repo.recent('alpha', 10)).map((a) => a.id)).toEqual(['1']);
    expect(await redis.xlen('rw:{alpha}:alerts:log')).toBe(3);
  });

  it('the tick lock: one holder at a time, renewed by its holder, released only by it', async () => {
    const repo = new AlertRepository(redis);
    expect(await repo.holdTickLock('a', 10_000)).toBe(true);
    expect(await repo.holdTickLock('b', 10_000)).toBe(false);
    expect(await repo.holdTickLock('a', 10_000)).toBe(true);
    await repo.releaseTickLock('b');
    expect(await repo.holdTickLock('b', 10_000)).toBe(false);
    await repo.releaseTickLock('a');
    expect(await repo.holdTickLock('b', 10_000)).toBe(true);
  });

  it('the audit log: ids from its own counter, newest first', async () => {
    const audit = new AuditRepository(redis, 3);
    for (let i = 1; i <= 5; i++) await audit.append({ at: `2026-01-0${i}T00:00:00Z`, actor: 'admin', action: 'site.config', target: 'alpha', from: '127.0.0.1', detail: `change ${i}` });
    const list = await audit.list();
    expect(list.map((e) => [e.id.split('-')[0], e.detail])).toEqual([['5', 'change 5'], ['4', 'change 4'], ['3', 'change 3']]);
  });

  it('the settings save: booths added free, removed ones gone, refused (nothing changed) while one is occupied', async () => {
    const repo = new SiteConfigRepository(redis);
    const base = SiteConfig.parse({ id: 'alpha', name: 'Alpha', rooms: [{ id: 'inj', name: 'Injection', kind: 'injection', booths: 3 }] });
    const as = (basedOn: number) => ({ basedOn, by: 'Admin', at: '2026-01-01T00:00:00Z', log: [] });
    expect(await repo.put(base, [], ['inj-1', 'inj-2', 'inj-3'], as(0))).toEqual({ before: null });
    expect(await redis.hget(keys.booth('alpha', 'inj-3'), 'state')).toBe('free');
    await redis.hset(keys.booth('alpha', 'inj-3'), 'state', 'occupied');
    const fewer = SiteConfig.parse({ ...base, rooms: [{ ...base.rooms[0]!, booths: 1 }] });
    expect(await repo.put(fewer, ['inj-2', 'inj-3'], [], as(1))).toEqual({ occupied: ['inj-3'] });
    expect(await repo.get('alpha')).toEqual(base);
    expect(await redis.exists(keys.booth('alpha', 'inj-2'))).toBe(1);
    await redis.hset(keys.booth('alpha', 'inj-3'), 'state', 'cleaning');
    expect(await repo.put(fewer, ['inj-2', 'inj-3'], [], as(0))).toEqual({ stale: true });
    expect(await repo.put(fewer, ['inj-2', 'inj-3'], [], as(1))).toEqual({ before: base });
    expect(await redis.exists(keys.booth('alpha', 'inj-2'), keys.booth('alpha', 'inj-3'))).toBe(0);
    // The same config again, nothing added or removed (the bug report's unchanged PUT).
    expect(await repo.put(fewer, [], [], as(2))).toEqual({ before: fewer });
    expect((await repo.getVersioned('alpha')).version).toBe(3);
  });
});
