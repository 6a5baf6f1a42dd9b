import { describe, expect, it } from 'vitest';
import { memoryOutbox } from '../../client/src/outboxDb';
import {
  applyCommand,
  classify,
  nextToSend,
  overlay,
  pruneConfirmed,
  requestOf,
  settle,
  sortEntries,
  type ConsoleCommand,
  type OutboxEntry,
  type SendOutcome,
} from '../../client/src/stores/outboxQueue';
import type { Booth, Snapshot } from '../../shared/api';
import { emptyCounters } from '../../shared/counters';

const booth = (id: string, extra: Partial<Booth> = {}): Booth => ({
  id,
  roomId: 'inj',
  label: id.toUpperCase(),
  kind: 'injection',
  state: 'free',
  since: null,
  substance: null,
  route: null,
  assisted: false,
  reason: null,
  ...extra,
});
const snapshot = (seq = 10, extra: Partial<Snapshot> = {}): Snapshot => ({
  siteId: 'alpha',
  seq,
  at: '2026-03-10T12:00:00Z',
  businessDate: '2026-03-10',
  booths: [booth('inj-1'), booth('inj-2'), booth('inj-3', { state: 'occupied', since: '2026-03-10T11:50:00Z', substance: 'heroin', route: 'injection' })],
  queue: 0,
  onShift: 2,
  occupied: 1,
  counters: emptyCounters(),
  hourlyIntakes: Array(24).fill(0),
  rooms: [],
  incidents: [],
  ...extra,
});
let n = 0;
const entry = (command: ConsoleCommand, extra: Partial<OutboxEntry> = {}): OutboxEntry => {
  n += 1;
  return { id: `key-${String(n).padStart(4, '0')}`, siteId: 'alpha', order: 1000 + n, createdAt: 1000 + n, command, state: 'pending', ...extra };
};
const AT = '2026-03-10T12:00:05Z';
const CHECK_IN: ConsoleCommand = { kind: 'check-in', boothId: 'inj-1', body: { substance: 'cocaine', route: 'injection', assisted: true } };
const result = (seq: number) => ({ seq, queue: 0, onShift: 2, occupied: 1 });

describe('outbox: requests', () => {
  it('maps every command to the public HTTP contract', () => {
    expect(requestOf('alpha', CHECK_IN)).toEqual({ method: 'POST', path: '/api/sites/alpha/booths/inj-1/check-in', body: CHECK_IN.body });
    expect(requestOf('alpha', { kind: 'out-of-service', boothId: 'smk-1', reason: 'supplies' })).toEqual({
      method: 'POST',
      path: '/api/sites/alpha/booths/smk-1/out-of-service',
      body: { reason: 'supplies' },
    });
    expect(requestOf('alpha', { kind: 'cleaned', boothId: 'inj-2' }).path).toBe('/api/sites/alpha/booths/inj-2/cleaned');
    expect(requestOf('alpha', { kind: 'queue', op: 'leave' })).toEqual({ method: 'POST', path: '/api/sites/alpha/queue', body: { op: 'leave' } });
    expect(requestOf('alpha', { kind: 'staffing', onShift: 4 })).toEqual({ method: 'PUT', path: '/api/sites/alpha/staffing', body: { onShift: 4 } });
    expect(requestOf('alpha', { kind: 'registration' }).path).toBe('/api/sites/alpha/registrations');
    expect(requestOf('alpha', { kind: 'undo', seq: 7 })).toEqual({ method: 'POST', path: '/api/sites/alpha/undo', body: { seq: 7 } });
    expect(requestOf('a b', { kind: 'registration' }).path).toBe('/api/sites/a%20b/registrations');
    expect(requestOf('alpha', { kind: 'incident-close', incidentId: '42', body: { outcome: 'recovered', naloxone: true, ambulance: false } })).toEqual({
      method: 'POST',
      path: '/api/sites/alpha/incidents/42/close',
      body: { outcome: 'recovered', naloxone: true, ambulance: false },
    });
    expect(requestOf('alpha', { kind: 'room-open', roomId: 'smk', until: '2026-03-10T14:00:00.000Z' })).toEqual({
      method: 'POST',
      path: '/api/sites/alpha/rooms/smk/open',
      body: { until: '2026-03-10T14:00:00.000Z' },
    });
    expect(requestOf('alpha', { kind: 'room-close', roomId: 'smk' })).toEqual({ method: 'POST', path: '/api/sites/alpha/rooms/smk/close', body: {} });
  });

  it('shows a closed incident and a room opened early before the server confirms them', () => {
    const od = { id: '9', kind: 'overdose' as const, naloxone: false, ambulance: false, openedAt: '2026-03-10T11:58:00Z' };
    const s = snapshot(10, { incidents: [od], rooms: [{ id: 'smk', open: false }] });
    const closed = overlay(s, [], [entry({ kind: 'incident-close', incidentId: '9', body: { outcome: 'ambulance', naloxone: false, ambulance: false } })], AT).snapshot;
    expect(closed.incidents[0]).toMatchObject({ closedAt: AT, outcome: 'ambulance', ambulance: true });
    const opened = overlay(s, [], [entry({ kind: 'room-open', roomId: 'smk', until: '2026-03-10T14:00:00.000Z' })], AT).snapshot;
    expect(opened.rooms[0]?.openedEarly?.until).toBe('2026-03-10T14:00:00.000Z');
    // Closing an incident that is no longer open does not apply (the server will say so).
    expect(overlay(closed, [], [entry({ kind: 'incident-close', incidentId: '9', body: { outcome: 'left', naloxone: false, ambulance: false } })], AT).snapshot.incidents[0]?.outcome).toBe('ambulance');
  });
});

describe('outbox: classifying replies', () => {
  it('keeps the entry for no answer, 503, other 5xx and 429; asks to sign in on 401', () => {
    for (const status of [0, 503, 500, 502, 429]) expect(classify(status, undefined).kind).toBe('unreachable');
    expect(classify(401, { error: { code: 'unauthenticated', message: 'x' } }).kind).toBe('unauthenticated');
  });

  it('reads a 409 with the current state, and other refusals', () => {
    const current = { seq: 12, queue: 0, onShift: 2, occupied: 2, booth: booth('inj-1', { state: 'occupied', substance: 'cocaine' }) };
    const c = classify(409, { error: { code: 'conflict', message: 'x', details: { current } } });
    expect(c).toEqual({ kind: 'conflict', problem: { status: 409, code: 'conflict', current } });
    expect(classify(400, { error: { code: 'invalid_input', message: 'x' } })).toEqual({ kind: 'rejected', problem: { status: 400, code: 'invalid_input' } });
    expect(classify(404, 'not json')).toEqual({ kind: 'rejected', problem: { status: 404, code: 'http_404' } });
  });

  it('accepts a 2xx only with a valid command result', () => {
    expect(classify(200, result(3))).toEqual({ kind: 'ok', result: result(3) });
    expect(classify(201, { nope: true }).kind).toBe('unreachable');
  });
});

describe('outbox: order and replay', () => {
  it('sends strictly in creation order, ties broken by id, refused entries do not block', () => {
    const a = entry({ kind: 'registration' }, { order: 5, id: 'b-key-0001' });
    const b = entry({ kind: 'registration' }, { order: 5, id: 'a-key-0001' });
    const c = entry({ kind: 'queue', op: 'join' }, { order: 3, state: 'conflict' });
    const d = entry({ kind: 'queue', op: 'join' }, { order: 9 });
    expect(sortEntries([d, a, c, b]).map((e) => e.id)).toEqual([c.id, 'a-key-0001', 'b-key-0001', d.id]);
    expect(nextToSend([d, a, c, b])?.id).toBe('a-key-0001');
    expect(nextToSend([c])).toBeUndefined();
  });

  it('replays a whole outbox in order: sent entries leave, a conflict stays marked and the rest go on', () => {
    const list = [entry({ kind: 'queue', op: 'join' }), entry(CHECK_IN), entry({ kind: 'registration' }), entry({ kind: 'queue', op: 'leave' })];
    const replies: SendOutcome[] = [
      { kind: 'ok', result: result(11) },
      { kind: 'conflict', problem: { status: 409, code: 'conflict' } },
      { kind: 'unreachable' },
    ];
    let entries = list;
    const sent: string[] = [];
    for (const reply of replies) {
      const next = nextToSend(entries)!;
      sent.push(next.id);
      const step = settle(entries, next.id, reply);
      entries = step.entries;
      if (!step.proceed) break;
    }
    expect(sent).toEqual([list[0]!.id, list[1]!.id, list[2]!.id]);
    // the connection dropped at the registration: it and the walk-away still wait, in order
    expect(entries.map((e) => [e.id, e.state])).toEqual([
      [list[1]!.id, 'conflict'],
      [list[2]!.id, 'pending'],
      [list[3]!.id, 'pending'],
    ]);
    expect(nextToSend(entries)?.id).toBe(list[2]!.id);
    // resuming: the same entry (same Idempotency-Key) goes out again, never a copy
    const again = settle(entries, list[2]!.id, { kind: 'ok', result: result(12) });
    expect(again.proceed).toBe(true);
    expect(nextToSend(again.entries)?.id).toBe(list[3]!.id);
  });

  it('stops and keeps everything when signed out', () => {
    const list = [entry({ kind: 'registration' })];
    const step = settle(list, list[0]!.id, { kind: 'unauthenticated' });
    expect(step).toMatchObject({ proceed: false, entries: list });
  });

  it('tolerates an entry that left meanwhile (dismissed or undone)', () => {
    expect(settle([], 'gone-key-01', { kind: 'ok', result: result(1) })).toEqual({ entries: [], entry: undefined, proceed: true });
  });
});

describe('outbox: optimistic floor', () => {
  it('applies a check-in like the server: booth, intake counters, occupancy, one served from the queue', () => {
    const s = applyCommand(snapshot(10, { queue: 2 }), CHECK_IN, AT)!;
    expect(s.booths[0]).toMatchObject({ state: 'occupied', since: AT, substance: 'cocaine', route: 'injection', assisted: true });
    expect(s).toMatchObject({ occupied: 2, queue: 1 });
    expect(s.counters).toMatchObject({ intakes: 1, assisted: 1, queueServed: 1 });
    expect(s.counters.bySubstance.cocaine).toBe(1);
    expect(s.counters.byRoute.injection).toBe(1);
  });

  it('follows the booth state machine and refuses what the server would refuse', () => {
    const base = snapshot();
    expect(applyCommand(base, { kind: 'check-in', boothId: 'inj-3', body: CHECK_IN.body }, AT)).toBeNull();
    expect(applyCommand(base, { kind: 'cleaned', boothId: 'inj-1' }, AT)).toBeNull();
    expect(applyCommand(base, { kind: 'check-out', boothId: 'nope' }, AT)).toBeNull();
    expect(applyCommand(base, { kind: 'queue', op: 'leave' }, AT)).toBeNull();
    const out = applyCommand(base, { kind: 'check-out', boothId: 'inj-3' }, AT)!;
    expect(out.booths[2]).toMatchObject({ state: 'cleaning', substance: null });
    expect(out).toMatchObject({ occupied: 0 });
    expect(out.counters.checkouts).toBe(1);
    const oos = applyCommand(base, { kind: 'out-of-service', boothId: 'inj-2', reason: 'repair' }, AT)!;
    expect(oos.booths[1]).toMatchObject({ state: 'out_of_service', reason: 'repair' });
  });

  it('counts queue, staffing, incidents and registrations', () => {
    let s = snapshot();
    for (const c of [
      { kind: 'queue', op: 'join' },
      { kind: 'queue', op: 'join' },
      { kind: 'queue', op: 'leave' },
      { kind: 'staffing', onShift: 5 },
      { kind: 'incident', body: { kind: 'overdose', boothId: 'inj-3', naloxone: true, ambulance: false } },
      { kind: 'registration' },
    ] as ConsoleCommand[]) {
      s = applyCommand(s, c, AT)!;
    }
    expect(s).toMatchObject({ queue: 1, onShift: 5 });
    expect(s.counters).toMatchObject({ queueJoins: 2, walkAways: 1, naloxone: 1, ambulance: 0, registrations: 1 });
    expect(s.counters.incidents.overdose).toBe(1);
  });

  it('overlays confirmed-but-not-yet-pushed commands, then pending ones in order; skips what no longer applies', () => {
    const live = snapshot(10);
    const pending = [
      entry({ kind: 'check-out', boothId: 'inj-1' }), // depends on the confirmed check-in below
      entry({ kind: 'queue', op: 'join' }),
      entry({ kind: 'registration' }, { state: 'conflict' }), // refused: rolled back, not applied
      entry({ kind: 'check-in', boothId: 'inj-3', body: CHECK_IN.body }), // inj-3 is occupied: skipped
    ];
    const o = overlay(live, [{ command: CHECK_IN, seq: 11 }], pending, AT);
    expect(o.snapshot.booths[0]!.state).toBe('cleaning');
    expect(o.snapshot.queue).toBe(1);
    expect(o.snapshot.counters.registrations).toBe(0);
    expect(o.snapshot.booths[2]!.substance).toBe('heroin');
    expect([...o.pendingBooths]).toEqual(['inj-1']);
    // once the live floor has seq 11 the confirmed check-in is not applied a second time
    const caughtUp = snapshot(11, { booths: [booth('inj-1', { state: 'occupied', substance: 'cocaine' }), booth('inj-2'), live.booths[2]!] });
    const o2 = overlay(caughtUp, [{ command: CHECK_IN, seq: 11 }], [], AT);
    expect(o2.snapshot).toBe(caughtUp);
    expect(pruneConfirmed([{ command: CHECK_IN, seq: 11 }, { command: CHECK_IN, seq: 12 }], 11)).toHaveLength(1);
  });
});

describe('outbox storage (memory stand-in)', () => {
  it('keeps entries per site, replaces by id, removes, and hands out copies', async () => {
    const store = memoryOutbox();
    const a = entry({ kind: 'registration' });
    const b = entry({ kind: 'registration' }, { siteId: 'beta' });
    await store.put(a);
    await store.put(b);
    await store.put({ ...a, state: 'conflict' });
    const list = await store.list('alpha');
    expect(list).toEqual([{ ...a, state: 'conflict' }]);
    list[0]!.state = 'pending';
    expect((await store.list('alpha'))[0]!.state).toBe('conflict');
    await store.remove(a.id);
    expect(await store.list('alpha')).toEqual([]);
    expect(await store.list('beta')).toHaveLength(1);
  });
});
