import { describe, expect, it } from 'vitest';
import { UNDO_WINDOW_MS } from '../../shared/api';
import type { CommandRequest } from '../../server/floor/floor.service';
import { floorHarness, rejection } from '../support/floorHarness';
import { storeEngines, useStoreEngine } from '../support/engines';

/** Undo as a compensating command, on both engines (see floorStore.contract.test.ts). */
const engines = storeEngines();

const CHECK_IN = { substance: 'heroin', route: 'injection', assisted: true } as const;

describe.each(engines)('undo on $name', (engine) => {
  let h: ReturnType<typeof floorHarness>;
  const other = (): CommandRequest => ({ ...h.req(), principal: { kind: 'user', id: 'someone-else', role: 'staff', sites: '*' } });
  useStoreEngine(engine, (r) => (h = floorHarness(r)));

  const snap = () => h.floor.snapshot('alpha');

  it('undoes a check-in: booth free, every counter back, the served person back in the queue, both entries logged', async () => {
    await h.floor.queue(h.req(), { op: 'join' });
    const before = await snap();
    const ci = await h.floor.boothCommand(h.req(), 'inj-1', 'check-in', CHECK_IN);
    expect(ci.queue).toBe(0);
    h.clock.now += 10_000;
    const u = await h.floor.undo(h.req(), ci.seq);
    expect(u.seq).toBe(ci.seq + 1);
    expect(u.booth).toMatchObject({ id: 'inj-1', state: 'free', substance: null, route: null, assisted: false });
    expect(u.queue).toBe(1);
    expect(u.occupied).toBe(0);
    const after = await snap();
    // Peaks are not lowered by an undo; everything else is as before the check-in.
    expect({ ...after.counters, peakOccupied: 0 }).toEqual({ ...before.counters, peakOccupied: 0 });
    expect(after.counters.peakOccupied).toBe(1);
    expect(after.hourlyIntakes).toEqual(before.hourlyIntakes);
    expect(after.booths.find((b) => b.id === 'inj-1')).toMatchObject({ state: 'free', since: null });
    const events = await h.repo.events('alpha');
    expect(events.map((e) => e.fields.type)).toEqual(['queue-join', 'check-in', 'undo']);
    expect(events[2]!.fields).toMatchObject({ undoes: String(ci.seq), undoneType: 'check-in', booth: 'inj-1', actor: 'tester' });
    expect(h.pushed.at(-1)).toMatchObject({ type: 'undo', seq: u.seq, queue: 1, hourIntakes: 0, booth: { id: 'inj-1', state: 'free' } });
    expect(h.pushed.at(-1)!.counters.intakes).toBe(0);
  });

  it('undoes a check-out: the session is back with its start, substance and minutes taken back', async () => {
    const ci = await h.floor.boothCommand(h.req(), 'inj-2', 'check-in', CHECK_IN);
    h.clock.now += 12 * 60_000;
    const co = await h.floor.boothCommand(h.req(), 'inj-2', 'check-out', {});
    expect((await snap()).counters).toMatchObject({ checkouts: 1, sessionMinutesTotal: 12 });
    h.clock.now += 5_000;
    const u = await h.floor.undo(h.req(), co.seq);
    expect(u.booth).toMatchObject({ state: 'occupied', substance: 'heroin', route: 'injection', assisted: true, since: ci.booth!.since });
    expect(u.occupied).toBe(1);
    expect((await snap()).counters).toMatchObject({ checkouts: 0, sessionMinutesTotal: 0, intakes: 1 });
    // The restored session can be checked out again and counts its full time.
    h.clock.now += 60_000;
    await h.floor.boothCommand(h.req(), 'inj-2', 'check-out', {});
    expect((await snap()).counters).toMatchObject({ checkouts: 1, sessionMinutesTotal: 13.1 });
  });

  it('undoes cleaned, out of service (ending a session) and back in service', async () => {
    await h.floor.boothCommand(h.req(), 'inj-3', 'check-in', CHECK_IN);
    h.clock.now += 60_000;
    const co = await h.floor.boothCommand(h.req(), 'inj-3', 'check-out', {});
    h.clock.now += 1_000;
    const cl = await h.floor.boothCommand(h.req(), 'inj-3', 'cleaned', {});
    h.clock.now += 1_000;
    expect((await h.floor.undo(h.req(), cl.seq)).booth).toMatchObject({ state: 'cleaning', since: co.booth!.since });

    const ci = await h.floor.boothCommand(h.req(), 'smk-1', 'check-in', { substance: 'cocaine', route: 'inhalation', assisted: false });
    h.clock.now += 3 * 60_000;
    const oos = await h.floor.boothCommand(h.req(), 'smk-1', 'out-of-service', { reason: 'biohazard' });
    expect(oos.occupied).toBe(0); // the session on smk-1 ended
    const u = await h.floor.undo(h.req(), oos.seq);
    expect(u.booth).toMatchObject({ state: 'occupied', substance: 'cocaine', route: 'inhalation', reason: null, since: ci.booth!.since });
    expect(u.occupied).toBe(1);

    await h.floor.boothCommand(h.req(), 'smk-2', 'out-of-service', { reason: 'repair' });
    const repaired = await h.floor.boothCommand(h.req(), 'smk-2', 'out-of-service', { reason: 'repair' }).catch(() => null);
    expect(repaired).toBeNull();
    const back = await h.floor.boothCommand(h.req(), 'smk-2', 'back-in-service', {});
    expect((await h.floor.undo(h.req(), back.seq)).booth).toMatchObject({ state: 'out_of_service', reason: 'repair' });
    const c = (await snap()).counters;
    expect(c).toMatchObject({ intakes: 2, checkouts: 1, sessionMinutesTotal: 1 });
  });

  it('undoes queue join / walk-away / set, staffing, incidents and registrations', async () => {
    const j1 = await h.floor.queue(h.req(), { op: 'join' });
    await h.floor.queue(h.req(), { op: 'join' });
    const lv = await h.floor.queue(h.req(), { op: 'leave' });
    expect((await h.floor.undo(h.req(), lv.seq)).queue).toBe(2);
    expect((await h.floor.undo(h.req(), j1.seq)).queue).toBe(1);
    const set = await h.floor.queue(h.req(), { op: 'set', count: 6 });
    expect((await h.floor.undo(h.req(), set.seq)).queue).toBe(1);
    await h.floor.staffing(h.req(), 4);
    const st = await h.floor.staffing(h.req(), 5);
    expect((await h.floor.undo(h.req(), st.seq)).onShift).toBe(4);
    const inc = await h.floor.incident(h.req(), { kind: 'overdose', boothId: 'inj-1', naloxone: true, ambulance: true });
    const reg = await h.floor.registration(h.req());
    await h.floor.undo(h.req(), inc.seq);
    await h.floor.undo(h.req(), reg.seq);
    const c = (await snap()).counters;
    expect(c).toMatchObject({ queueJoins: 1, walkAways: 0, naloxone: 0, ambulance: 0, registrations: 0, peakQueue: 6 });
    expect(c.incidents).toEqual({ overdose: 0, medical: 0, other: 0 });
    // The log keeps every entry, the undos included.
    expect((await h.repo.events('alpha')).filter((e) => e.fields.type === 'undo')).toHaveLength(6);
  });

  it('refuses when the state moved on: 409 with the current state, nothing changes', async () => {
    const ci = await h.floor.boothCommand(h.req(), 'inj-1', 'check-in', CHECK_IN);
    await h.floor.boothCommand(h.req(), 'inj-1', 'check-out', {});
    const before = await snap();
    const e = await rejection(() => h.floor.undo(h.req(), ci.seq));
    expect(e.status).toBe(409);
    expect(e.details.current.booth).toMatchObject({ id: 'inj-1', state: 'cleaning' });
    expect(e.details.current.seq).toBe(before.seq);
    const after = await snap();
    expect(after.seq).toBe(before.seq);
    expect(after.counters).toEqual(before.counters);

    const st = await h.floor.staffing(h.req(), 3);
    await h.floor.staffing(h.req(), 4);
    expect((await rejection(() => h.floor.undo(h.req(), st.seq))).status).toBe(409);
    await h.floor.queue(h.req(), { op: 'set', count: 0 });
    const j = await h.floor.queue(h.req(), { op: 'join' });
    await h.floor.queue(h.req(), { op: 'leave' });
    expect((await rejection(() => h.floor.undo(h.req(), j.seq))).status).toBe(409);
  });

  it('refuses after the window, twice, someone else\'s action, an undo, and an unknown seq', async () => {
    const r1 = await h.floor.registration(h.req());
    h.clock.now += UNDO_WINDOW_MS + 1;
    const late = await rejection(() => h.floor.undo(h.req(), r1.seq));
    expect([late.status, late.code]).toEqual([409, 'conflict']);

    const r2 = await h.floor.registration(h.req());
    const u = await h.floor.undo(h.req(), r2.seq);
    expect((await rejection(() => h.floor.undo(h.req(), r2.seq))).status).toBe(409);
    expect((await rejection(() => h.floor.undo(h.req(), u.seq))).status).toBe(409);

    const r3 = await h.floor.registration(h.req());
    expect((await rejection(() => h.floor.undo(other(), r3.seq))).status).toBe(403);
    expect((await rejection(() => h.floor.undo(h.req(), 999))).status).toBe(404);
    const snapNow = await snap();
    expect(snapNow.counters.registrations).toBe(2); // r1 (too late to undo) and r3
  });

  it('honours an Idempotency-Key: a repeated undo returns the first reply and changes nothing', async () => {
    const reg = await h.floor.registration(h.req());
    await h.floor.registration(h.req());
    const first = await h.floor.undo(h.req('undo-key-0001'), reg.seq);
    const again = await h.floor.undo(h.req('undo-key-0001'), reg.seq);
    expect(again).toEqual(first);
    expect((await snap()).counters.registrations).toBe(1);
    expect(h.pushed.filter((c) => c.type === 'undo')).toHaveLength(1);
    const e = await rejection(() => h.floor.undo(h.req('undo-key-0001'), reg.seq + 1));
    expect(e.status).toBe(422);
  });

  it('counts back into the undone event\'s hour when the clock hour has turned', async () => {
    h.clock.now = Date.parse('2026-03-10T12:59:50Z'); // 13:59:50 in Copenhagen
    const ci = await h.floor.boothCommand(h.req(), 'inj-1', 'check-in', CHECK_IN);
    h.clock.now += 20_000; // 14:00:10
    await h.floor.undo(h.req(), ci.seq);
    const s = await snap();
    expect(s.hourlyIntakes[13]).toBe(0);
    expect(s.hourlyIntakes[14]).toBe(0);
    expect(s.counters.intakes).toBe(0);
    expect(h.pushed.at(-1)).toMatchObject({ type: 'undo', hour: 13, hourIntakes: 0 });
  });
});
