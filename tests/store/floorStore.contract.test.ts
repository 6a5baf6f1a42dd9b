import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { floorHarness, rejection } from '../support/floorHarness';
import { storeEngines, useStoreEngine } from '../support/engines';

/**
 * The same contract against both engines: a real redis-server started here, and the
 * embedded engine (ioredis-mock) that `npm start` uses without REDIS_URL.
 */
const engines = storeEngines();

const CHECK_IN = { substance: 'cocaine', route: 'injection', assisted: false } as const;

describe.each(engines)('floor store on $name', (engine) => {
  let redis: Redis;
  let h: ReturnType<typeof floorHarness>;
  useStoreEngine(engine, (r) => {
    redis = r;
    h = floorHarness(r);
  });

  it('checks in a free booth: state, seq, counters, event log, push', async () => {
    const r = await h.floor.boothCommand(h.req(), 'inj-1', 'check-in', { ...CHECK_IN, assisted: true });
    expect(r.seq).toBe(1);
    expect(r.booth).toMatchObject({ id: 'inj-1', state: 'occupied', substance: 'cocaine', route: 'injection', assisted: true });
    expect(r.occupied).toBe(1);
    const snap = await h.floor.snapshot('alpha');
    expect(snap.seq).toBe(1);
    expect(snap.booths.find((b) => b.id === 'inj-1')?.state).toBe('occupied');
    expect(snap.counters).toMatchObject({ intakes: 1, assisted: 1, peakOccupied: 1 });
    expect(snap.counters.bySubstance.cocaine).toBe(1);
    expect(snap.counters.byRoute.injection).toBe(1);
    // 2026-03-10T12:00Z is 13:00 in Copenhagen
    expect(snap.hourlyIntakes[13]).toBe(1);
    const events = await h.repo.events('alpha');
    expect(events).toHaveLength(1);
    expect(events[0]!.fields).toMatchObject({ seq: '1', type: 'check-in', booth: 'inj-1', substance: 'cocaine', assisted: '1', actor: 'tester', date: '2026-03-10', hour: '13' });
    expect(h.pushed).toHaveLength(1);
    expect(h.pushed[0]).toMatchObject({ siteId: 'alpha', seq: 1, type: 'check-in', hour: 13, hourIntakes: 1 });
    expect(h.pushed[0]!.counters.intakes).toBe(1);
  });

  it('walks a booth through its whole cycle and counts session minutes', async () => {
    await h.floor.boothCommand(h.req(), 'inj-2', 'check-in', CHECK_IN);
    h.clock.now += 17 * 60_000;
    const out = await h.floor.boothCommand(h.req(), 'inj-2', 'check-out', {});
    expect(out.booth?.state).toBe('cleaning');
    expect(out.booth?.substance).toBeNull();
    const free = await h.floor.boothCommand(h.req(), 'inj-2', 'cleaned', {});
    expect(free.booth?.state).toBe('free');
    expect(free.seq).toBe(3);
    const snap = await h.floor.snapshot('alpha');
    expect(snap.counters).toMatchObject({ checkouts: 1, sessionMinutesTotal: 17, intakes: 1 });
    expect(snap.occupied).toBe(0);
  });

  it.each([
    ['check-out', 'free'],
    ['cleaned', 'free'],
    ['back-in-service', 'free'],
  ] as const)('refuses %s from %s with 409, the current state, and no change', async (command, _state) => {
    const before = await h.floor.snapshot('alpha');
    const e = await rejection(() => h.floor.boothCommand(h.req(), 'inj-1', command, {}));
    expect(e.status).toBe(409);
    expect(e.details.current.booth.state).toBe('free');
    expect(e.details.current.seq).toBe(before.seq);
    const after = await h.floor.snapshot('alpha');
    expect(after.seq).toBe(before.seq);
    expect(after.counters).toEqual(before.counters);
    expect(await h.repo.events('alpha')).toHaveLength(0);
    expect(h.pushed).toHaveLength(0);
  });

  it('refuses a second check-in on an occupied booth', async () => {
    await h.floor.boothCommand(h.req(), 'inj-1', 'check-in', CHECK_IN);
    const e = await rejection(() => h.floor.boothCommand(h.req(), 'inj-1', 'check-in', CHECK_IN));
    expect(e.status).toBe(409);
    expect(e.details.current.booth).toMatchObject({ state: 'occupied', substance: 'cocaine' });
    expect((await h.floor.snapshot('alpha')).counters.intakes).toBe(1);
  });

  it('takes a booth out of service from any state, ending a running session, and back', async () => {
    await h.floor.boothCommand(h.req(), 'smk-1', 'check-in', { substance: 'cocaine', route: 'inhalation', assisted: false });
    h.clock.now += 5 * 60_000;
    const oos = await h.floor.boothCommand(h.req(), 'smk-1', 'out-of-service', { reason: 'biohazard' });
    expect(oos.booth).toMatchObject({ state: 'out_of_service', reason: 'biohazard' });
    expect(oos.occupied).toBe(0);
    const again = await rejection(() => h.floor.boothCommand(h.req(), 'smk-1', 'out-of-service', { reason: 'repair' }));
    expect(again.status).toBe(409);
    const back = await h.floor.boothCommand(h.req(), 'smk-1', 'back-in-service', {});
    expect(back.booth).toMatchObject({ state: 'free', reason: null });
    const snap = await h.floor.snapshot('alpha');
    expect(snap.counters).toMatchObject({ checkouts: 1, sessionMinutesTotal: 5 });
  });

  it('keeps the queue: join, walk-away, set, and a check-in serves one waiting person', async () => {
    await h.floor.queue(h.req(), { op: 'join' });
    await h.floor.queue(h.req(), { op: 'join' });
    await h.floor.queue(h.req(), { op: 'join' });
    expect((await h.floor.queue(h.req(), { op: 'leave' })).queue).toBe(2);
    const ci = await h.floor.boothCommand(h.req(), 'inj-1', 'check-in', CHECK_IN);
    expect(ci.queue).toBe(1);
    expect((await h.floor.queue(h.req(), { op: 'set', count: 7 })).queue).toBe(7);
    await h.floor.queue(h.req(), { op: 'set', count: 0 });
    const e = await rejection(() => h.floor.queue(h.req(), { op: 'leave' }));
    expect(e.status).toBe(409);
    expect(e.details.current.queue).toBe(0);
    const c = (await h.floor.snapshot('alpha')).counters;
    expect(c).toMatchObject({ queueJoins: 3, walkAways: 1, queueServed: 1, peakQueue: 7 });
  });

  it('counts walk-aways sent to another site of the network, once per key, and undoes them', async () => {
    await h.floor.queue(h.req(), { op: 'set', count: 15 });
    await h.floor.queue(h.req('sent-to-beta-1'), { op: 'leave', sentTo: 'beta' });
    // A repeat with the same key (a retried tap) changes nothing.
    const again = await h.floor.queue(h.req('sent-to-beta-1'), { op: 'leave', sentTo: 'beta' });
    expect(again.queue).toBe(14);
    await h.floor.queue(h.req(), { op: 'leave', sentTo: 'beta' });
    const plain = await h.floor.queue(h.req(), { op: 'leave' });
    expect(plain.queue).toBe(12);
    let c = (await h.floor.snapshot('alpha')).counters;
    expect(c).toMatchObject({ walkAways: 3, sentTo: { beta: 2 } });
    // Counted in the hour too, carried in the live change, and in the event the handover reads.
    expect(h.pushed.at(-2)!.counters.sentTo).toEqual({ beta: 2 });
    const events = await h.repo.events('alpha');
    expect(events.filter((e) => e.fields.sentTo === 'beta')).toHaveLength(2);
    expect(await redis.hget('rw:{alpha}:hour:2026-03-10:13', 'sent:beta')).toBe('2');
    // Undo takes the count back out.
    const last = await h.floor.queue(h.req(), { op: 'leave', sentTo: 'beta' });
    await h.floor.undo(h.req(), last.seq);
    c = (await h.floor.snapshot('alpha')).counters;
    expect(c).toMatchObject({ walkAways: 3, sentTo: { beta: 2 } });
    // Not a network site: 400 naming the field, and nothing changes.
    const before = await h.floor.snapshot('alpha');
    for (const sentTo of ['alpha', 'nowhere']) {
      const e = await rejection(() => h.floor.queue(h.req(), { op: 'leave', sentTo }));
      expect(e.status).toBe(400);
      expect(e.details).toEqual([expect.objectContaining({ path: 'sentTo' })]);
    }
    expect((await h.floor.snapshot('alpha')).seq).toBe(before.seq);
  });

  it('records staffing, incidents and registrations', async () => {
    expect((await h.floor.staffing(h.req(), 5)).onShift).toBe(5);
    await h.floor.incident(h.req(), { kind: 'overdose', boothId: 'inj-3', naloxone: true, ambulance: true });
    await h.floor.incident(h.req(), { kind: 'medical', naloxone: false, ambulance: false });
    await h.floor.registration(h.req());
    const snap = await h.floor.snapshot('alpha');
    expect(snap.onShift).toBe(5);
    expect(snap.counters).toMatchObject({ naloxone: 1, ambulance: 1, registrations: 1 });
    expect(snap.counters.incidents).toEqual({ overdose: 1, medical: 1, other: 0 });
    const events = await h.repo.events('alpha');
    expect(events.map((e) => e.fields.type)).toEqual(['staffing', 'incident', 'incident', 'registration']);
    expect(events[1]!.fields).toMatchObject({ kind: 'overdose', booth: 'inj-3', naloxone: '1', ambulance: '1' });
    expect(snap.seq).toBe(4);
  });

  it('honours idempotency keys: one effect, the same reply, also for a conflict', async () => {
    const first = await h.floor.boothCommand(h.req('key-00000001'), 'inj-1', 'check-in', CHECK_IN);
    h.clock.now += 1000;
    const again = await h.floor.boothCommand(h.req('key-00000001'), 'inj-1', 'check-in', CHECK_IN);
    expect(again).toEqual(first);
    expect((await h.floor.snapshot('alpha')).counters.intakes).toBe(1);
    expect(h.pushed).toHaveLength(1);
    const c1 = await rejection(() => h.floor.boothCommand(h.req('key-00000002'), 'inj-1', 'check-in', CHECK_IN));
    await h.floor.boothCommand(h.req(), 'inj-1', 'check-out', {});
    const c2 = await rejection(() => h.floor.boothCommand(h.req('key-00000002'), 'inj-1', 'check-in', CHECK_IN));
    expect(c2).toEqual(c1); // the stored 409, although the booth is now in cleaning
    const events = await h.repo.events('alpha');
    expect(events[0]!.fields.idem).toBe('key-00000001');
  });

  it('refuses a reused idempotency key with a different request (422) and changes nothing', async () => {
    await h.floor.boothCommand(h.req('key-00000003'), 'inj-1', 'check-in', CHECK_IN);
    const e = await rejection(() => h.floor.boothCommand(h.req('key-00000003'), 'inj-2', 'check-in', CHECK_IN));
    expect(e.status).toBe(422);
    expect((await h.floor.snapshot('alpha')).booths.find((b) => b.id === 'inj-2')?.state).toBe('free');
  });

  it('counts by business date: a night belongs to the day it started', async () => {
    // 2026-03-11 04:30 in Copenhagen (UTC+1) is before the 06:00 start: business day 2026-03-10.
    h.clock.now = Date.parse('2026-03-11T03:30:00Z');
    await h.floor.registration(h.req());
    h.clock.now = Date.parse('2026-03-11T05:00:00Z'); // 06:00 local: the next business day
    await h.floor.registration(h.req());
    const events = await h.repo.events('alpha');
    expect(events.map((e) => [e.fields.date, e.fields.hour])).toEqual([
      ['2026-03-10', '4'],
      ['2026-03-11', '6'],
    ]);
    expect(Number(await redis.hget('rw:{alpha}:day:2026-03-10', 'registrations'))).toBe(1);
    expect(Number(await redis.hget('rw:{alpha}:day:2026-03-11', 'registrations'))).toBe(1);
    expect(Number(await redis.hget('rw:{alpha}:hour:2026-03-10:04', 'registrations'))).toBe(1);
  });

  it('counts the 25-hour day of the autumn DST change in full', async () => {
    // Europe/Copenhagen, 25 Oct 2026 03:00 CEST becomes 02:00 CET: with a 06:00 start that
    // night belongs to business day 24 Oct, which runs 06:00 CEST → 06:00 CET, 25 hours.
    const start = Date.parse('2026-10-24T04:00:00Z'); // 06:00 CEST
    for (let i = 0; i < 25; i++) {
      h.clock.now = start + i * 3_600_000 + 60_000;
      await h.floor.registration(h.req());
    }
    h.clock.now = start + 25 * 3_600_000 + 60_000; // 06:01 CET on 25 Oct: the next day
    await h.floor.registration(h.req());
    expect(Number(await redis.hget('rw:{alpha}:day:2026-10-24', 'registrations'))).toBe(25);
    expect(Number(await redis.hget('rw:{alpha}:day:2026-10-25', 'registrations'))).toBe(1);
    // the repeated 02:00 hour is counted twice in its clock-hour bucket
    expect(Number(await redis.hget('rw:{alpha}:hour:2026-10-24:02', 'registrations'))).toBe(2);
    expect(Number(await redis.hget('rw:{alpha}:hour:2026-10-24:05', 'registrations'))).toBe(1);
  });

  it('trims the event log to the retention setting', async () => {
    const small = floorHarness(redis, { eventRetention: 5, idempotencyTtlMs: 60_000 });
    for (let i = 0; i < 12; i++) await small.floor.registration(small.req());
    const events = await small.repo.events('alpha');
    expect(events).toHaveLength(5);
    expect(events.map((e) => e.fields.seq)).toEqual(['8', '9', '10', '11', '12']);
    expect(events.at(-1)!.id).toBe('12-0');
  });

  it('keeps sites apart', async () => {
    await h.floor.registration(h.req(undefined, 'beta'));
    expect((await h.floor.snapshot('alpha')).seq).toBe(0);
    expect((await h.floor.snapshot('beta')).seq).toBe(1);
  });
});
