import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SitesFile } from '../../shared/siteConfig';
import { serverEngines } from '../support/engines';
import { connectClient } from '../support/socketClient';
import { send, type TestServer } from '../support/testServer';

/**
 * Rooms that are closed are closed (issue 13): hours per room with dated closures and temporary
 * hours on top, the snapshot saying open or not and until / from when, check-ins refused with
 * 409 `room_closed`, and a lead opening a room early ("open now until …", audited). On both
 * engines, on an injected clock (never today's date).
 */
const SITES = SitesFile.parse({
  sites: [
    {
      id: 'h17',
      name: 'H17',
      timeZone: 'Europe/Copenhagen',
      rooms: [
        {
          id: 'inj',
          name: 'Injektionsrummet',
          kind: 'injection',
          booths: 3,
          openingHours: [{ open: '07:30', close: '23:30' }],
          datedHours: [{ from: '2026-12-24', to: '2026-12-24', hours: 'closed', label: 'Juleaften' }],
        },
        {
          id: 'smk',
          name: 'Rygerummet ved Halmtorvet, bagindgang',
          kind: 'inhalation',
          booths: 2,
          openingHours: '24h',
          datedHours: [{ from: '2026-03-16', to: '2026-03-20', hours: [{ open: '09:00', close: '15:00' }], label: 'Ombygning' }],
        },
      ],
    },
  ],
});

const CHECK_IN = { substance: 'cocaine', route: 'injection' };
const at = (iso: string) => Date.parse(iso);
const engines = serverEngines();

describe.each(engines)('rooms open and close by their hours on $name', (engine) => {
  let srv: TestServer;
  let now = at('2026-03-10T22:00:00Z'); // Tuesday 23:00 in Copenhagen: the injection room closes at 23:30
  let lead = '';
  let staff = '';

  beforeAll(async () => {
    if (!engine.available) return;
    srv = await engine.start({ sites: SITES, clock: () => now });
    await srv.app.alerts.stop();
    lead = await srv.token('api', 'lead', ['h17']);
    staff = await srv.token('api', 'staff', ['h17']);
  });
  afterAll(async () => {
    await srv?.close();
  });

  const as = (token: string, method: 'POST' | 'GET', path: string, body?: unknown, headers: Record<string, string> = {}) =>
    send(srv.baseUrl, method, path, body, { authorization: `Bearer ${token}`, ...headers });
  const snapshot = async () => (await srv.send('GET', '/api/sites/h17/snapshot')).body;
  const room = async (id: string) => (await snapshot()).rooms.find((r: { id: string }) => r.id === id);

  it.runIf(engine.available)('says in the snapshot which room is open, and until or from when', async () => {
    expect(await room('inj')).toEqual({ id: 'inj', open: true, closesAt: '2026-03-10T22:30:00.000Z' });
    // Open round the clock: no closing time (its temporary hours start next week, beyond the horizon it reports as a closing).
    expect(await room('smk')).toMatchObject({ id: 'smk', open: true });
    expect((await as(staff, 'POST', '/api/sites/h17/booths/inj-1/check-in', CHECK_IN)).status).toBe(200);
  });

  it.runIf(engine.available)('refuses a check-in in a closed room with 409 room_closed, and lets the room empty', async () => {
    now = at('2026-03-10T22:45:00Z'); // 23:45: closed until 07:30
    expect(await room('inj')).toEqual({ id: 'inj', open: false, opensAt: '2026-03-11T06:30:00.000Z' });
    const before = (await snapshot()).seq;
    const r = await as(staff, 'POST', '/api/sites/h17/booths/inj-2/check-in', CHECK_IN);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('room_closed');
    expect(r.body.error.details.room).toEqual({ id: 'inj', open: false, opensAt: '2026-03-11T06:30:00.000Z' });
    expect(r.body.error.details.current.booth).toMatchObject({ id: 'inj-2', state: 'free' });
    expect((await snapshot()).seq).toBe(before);
    // The person already inside stays visible until checked out, and the place is cleaned as usual.
    expect((await snapshot()).booths.find((b: { id: string }) => b.id === 'inj-1').state).toBe('occupied');
    expect((await as(staff, 'POST', '/api/sites/h17/booths/inj-1/check-out')).status).toBe(200);
    expect((await as(staff, 'POST', '/api/sites/h17/booths/inj-1/cleaned')).status).toBe(200);
    // A place out of service in a closed room can still be taken out and brought back.
    expect((await as(staff, 'POST', '/api/sites/h17/booths/inj-3/out-of-service', { reason: 'repair' })).status).toBe(200);
    expect((await as(staff, 'POST', '/api/sites/h17/booths/inj-3/back-in-service')).status).toBe(200);
  });

  it.runIf(engine.available)('lets a lead open it early until a time: audited, pushed live, idempotent; staff may not', async () => {
    const until = '2026-03-11T01:00:00.000Z'; // 02:00 local
    expect((await as(staff, 'POST', '/api/sites/h17/rooms/inj/open', { until })).status).toBe(403);
    const screen = await connectClient(srv.baseUrl, await srv.token('display', 'display', ['h17']));
    expect((await screen.subscribe('h17')).ok).toBe(true);
    const pushed = screen.next((c) => c.type === 'room-open');
    const r = await as(lead, 'POST', '/api/sites/h17/rooms/inj/open', { until }, { 'Idempotency-Key': 'open-early-0001' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.room).toMatchObject({ id: 'inj', open: true, closesAt: until, openedEarly: { until, by: expect.any(String) } });
    expect((await pushed).room).toMatchObject({ id: 'inj', openedEarly: { until } });
    screen.socket.disconnect();
    // The same key again: the first reply, nothing changed.
    const seq = (await snapshot()).seq;
    const again = await as(lead, 'POST', '/api/sites/h17/rooms/inj/open', { until }, { 'Idempotency-Key': 'open-early-0001' });
    expect(again.body).toEqual(r.body);
    expect((await snapshot()).seq).toBe(seq);
    expect(await room('inj')).toMatchObject({ open: true, closesAt: until, openedEarly: { until } });
    expect((await as(staff, 'POST', '/api/sites/h17/booths/inj-2/check-in', CHECK_IN)).status).toBe(200);
    const audit = ((await srv.send('GET', '/api/audit')).body as Array<{ action: string; target: string; detail: string }>).find((e) => e.action === 'room.open-early');
    expect(audit).toMatchObject({ target: 'h17/inj', detail: `"Injektionsrummet" opened until ${until}` });
  });

  it.runIf(engine.available)('closes again when the early opening runs out or a lead ends it', async () => {
    now = at('2026-03-11T01:05:00Z'); // 02:05: past the early opening
    expect(await room('inj')).toEqual({ id: 'inj', open: false, opensAt: '2026-03-11T06:30:00.000Z' });
    expect((await as(staff, 'POST', '/api/sites/h17/booths/inj-3/check-in', CHECK_IN)).body.error.code).toBe('room_closed');
    expect((await as(lead, 'POST', '/api/sites/h17/rooms/inj/close', {})).status).toBe(409);
    // Open early again, then end it early: closed at once.
    expect((await as(lead, 'POST', '/api/sites/h17/rooms/inj/open', { until: '2026-03-11T03:00:00Z' })).status).toBe(200);
    const end = await as(lead, 'POST', '/api/sites/h17/rooms/inj/close', {});
    expect(end.status).toBe(200);
    expect(end.body.room).toEqual({ id: 'inj', open: false, opensAt: '2026-03-11T06:30:00.000Z' });
    expect((await as(staff, 'POST', '/api/sites/h17/booths/inj-3/check-in', CHECK_IN)).status).toBe(409);
    // Opening a room its hours already have open is a conflict, not a no-op that hides a mistake.
    expect((await as(lead, 'POST', '/api/sites/h17/rooms/smk/open', { until: '2026-03-11T03:00:00Z' })).status).toBe(409);
  });

  it.runIf(engine.available)('an early opening can be undone by the lead who made it', async () => {
    const r = await as(lead, 'POST', '/api/sites/h17/rooms/inj/open', { until: '2026-03-11T03:00:00Z' });
    expect((await room('inj')).open).toBe(true);
    const undo = await as(lead, 'POST', '/api/sites/h17/undo', { seq: r.body.seq });
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(await room('inj')).toEqual({ id: 'inj', open: false, opensAt: '2026-03-11T06:30:00.000Z' });
  });

  it.runIf(engine.available)('bad input to the new routes: 400 naming the field, 404 for an unknown room, nothing changed', async () => {
    const seq = (await snapshot()).seq;
    const cases: Array<[unknown, string[]]> = [
      [{}, ['until']],
      [{ until: 'tonight' }, ['until']],
      [{ until: '2026-03-11T01:00:00Z' }, ['until']], // in the past
      [{ until: '2026-03-12T01:00:00Z' }, ['until']], // more than 12 h ahead
      [{ until: '2026-03-11T03:00:00Z', by: 'someone' }, ['(body)']],
    ];
    for (const [body, fields] of cases) {
      const r = await as(lead, 'POST', '/api/sites/h17/rooms/inj/open', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(fields);
    }
    expect((await as(lead, 'POST', '/api/sites/h17/rooms/inj/close', { now: true })).status).toBe(400);
    expect((await as(lead, 'POST', '/api/sites/h17/rooms/nowhere/open', { until: '2026-03-11T03:00:00Z' })).status).toBe(404);
    expect((await as(lead, 'POST', '/api/sites/nowhere/rooms/inj/open', { until: '2026-03-11T03:00:00Z' })).status).toBe(404);
    expect((await snapshot()).seq).toBe(seq);
  });

  it.runIf(engine.available)('follows dated closures and temporary hours on top of the weekly pattern', async () => {
    now = at('2026-12-24T11:00:00Z'); // Christmas Eve, noon: closed all day
    expect(await room('inj')).toEqual({ id: 'inj', open: false, opensAt: '2026-12-25T06:30:00.000Z' });
    expect((await as(staff, 'POST', '/api/sites/h17/booths/inj-3/check-in', CHECK_IN)).body.error.code).toBe('room_closed');
    now = at('2026-03-16T08:30:00Z'); // 09:30 in the rebuild week: smoking room 09:00–15:00 only
    expect(await room('smk')).toEqual({ id: 'smk', open: true, closesAt: '2026-03-16T14:00:00.000Z' });
    now = at('2026-03-16T16:00:00Z');
    expect(await room('smk')).toEqual({ id: 'smk', open: false, opensAt: '2026-03-17T08:00:00.000Z' });
    now = at('2026-03-20T15:00:00Z'); // Friday 16:00, the last day: back to round the clock at midnight
    expect(await room('smk')).toEqual({ id: 'smk', open: false, opensAt: '2026-03-20T23:00:00.000Z' });
  });

  it.runIf(engine.available)('edits dated hours in Settings: checked, stored, pushed; bad ones name the field', async () => {
    now = at('2026-03-10T12:00:00Z');
    const config = (await srv.send('GET', '/api/sites/h17/config')).body;
    const withDated = (datedHours: unknown) => ({ ...config, rooms: config.rooms.map((r: { id: string }) => (r.id === 'inj' ? { ...r, datedHours } : r)) });
    const bad = await srv.send('PUT', '/api/sites/h17/config', withDated([
      { from: '2026-04-10', to: '2026-04-01', hours: 'closed' },
      { from: '2026-13-01', to: '2026-13-02', hours: 'closed' },
    ]));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['rooms.0.datedHours.0.to', 'rooms.0.datedHours.1.from', 'rooms.0.datedHours.1.to']);
    const overlap = await srv.send('PUT', '/api/sites/h17/config', withDated([
      { from: '2026-04-01', to: '2026-04-10', hours: 'closed' },
      { from: '2026-04-05', to: '2026-04-06', hours: [{ open: '10:00', close: '14:00' }] },
    ]));
    expect(overlap.status).toBe(400);
    expect(overlap.body.error.details).toEqual([{ path: 'rooms.0.datedHours.1.from', message: 'overlaps entry 1 (2026-04-01 – 2026-04-10)' }]);
    const ok = await srv.send('PUT', '/api/sites/h17/config', withDated([{ from: '2026-03-10', to: '2026-03-10', hours: 'closed', label: 'Vandskade' }]));
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await srv.send('GET', '/api/sites')).body[0].rooms[0].datedHours).toEqual([{ from: '2026-03-10', to: '2026-03-10', hours: 'closed', label: 'Vandskade' }]);
    expect(await room('inj')).toEqual({ id: 'inj', open: false, opensAt: '2026-03-11T06:30:00.000Z' });
  });
});
