import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessSlot } from '../../shared/businessTime';
import { Handover, HANDOVER_NOTE_MAX, type HandoverChanged } from '../../shared/handovers';
import type { SitesFile } from '../../shared/siteConfig';
import { SUBSTANCES, type Substance } from '../../shared/vocabulary';
import { keys } from '../../server/store/keys';
import { haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { connectClient } from '../support/socketClient';
import { send, startTestServer, testSites, type TestServer } from '../support/testServer';
import { waitFor } from '../support/waitFor';

/** A webhook receiver on loopback that records every JSON POST. */
async function startReceiver(): Promise<{ url: string; posts: Array<{ type: string; handover?: Handover }>; server: Server }> {
  const posts: Array<{ type: string; handover?: Handover }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      posts.push(JSON.parse(body) as { type: string });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  return { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, posts, server };
}

const A = '/api/sites/alpha';
const TZ = 'Europe/Copenhagen';
/** The instant of a local Copenhagen wall-clock time given with its offset, e.g. `2026-01-14T23:00+01:00`. */
const at = (local: string) => Date.parse(local);

describe.skipIf(!haveRedis())('shift handovers with two instances sharing one Redis', () => {
  let redis: RedisProcess;
  let a: TestServer;
  let b: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let now = at('2026-01-14T14:00+01:00');
  const clock = () => now;
  let sites: SitesFile;

  beforeAll(async () => {
    redis = await startRedis();
    receiver = await startReceiver();
    sites = testSites();
    const alpha = sites.sites.find((s) => s.id === 'alpha')!;
    alpha.shiftChanges = ['07:00', '15:00', '23:00'];
    alpha.staffingPlan = { default: 3, byWeekday: {}, changes: [] };
    alpha.alerts = { channels: [{ id: 'handover-hook', type: 'webhook', url: receiver.url, secret: 'integration-test-secret-0123456789', format: 'json', retries: 0, backoffMs: 10, minSeverity: 'critical', audience: 'floor', resolved: false }] } as never;
    [a, b] = await Promise.all([
      startTestServer({ redisUrl: redis.url, clock, sites, handoverTickMs: 0 }),
      startTestServer({ redisUrl: redis.url, clock, sites, handoverTickMs: 0 }),
    ]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.destroy();
    await new Promise((r) => receiver?.server.close(r));
  });

  const list = async (from: string, to: string): Promise<Handover[]> => {
    const r = await a.send('GET', `${A}/handovers?from=${from}&to=${to}`);
    expect(r.status).toBe(200);
    return r.body.handovers as Handover[];
  };
  const cmd = (path: string, body: unknown = {}) => a.send('POST', `${A}${path}`, body);
  const tickBoth = () => Promise.all([a.app.handovers.tick(), b.app.handovers.tick()]);

  it('makes exactly one handover per shift change with two instances and a restart at that minute', async () => {
    now = at('2026-01-14T15:00+01:00');
    await tickBoth();
    // An instance restarting at that minute ticks again: still one.
    const c = await startTestServer({ redisUrl: redis.url, clock, sites, handoverTickMs: 0 });
    await Promise.all([c.app.handovers.tick(), a.app.handovers.tick(), b.app.handovers.tick()]);
    await c.close();
    now += 40_000;
    await tickBoth();
    const hs = await list('2026-01-14', '2026-01-14');
    expect(hs.filter((h) => h.shiftChange === new Date(at('2026-01-14T15:00+01:00')).toISOString())).toHaveLength(1);
    expect(hs).toHaveLength(1);
    expect(hs[0]).toMatchObject({ kind: 'scheduled', from: new Date(at('2026-01-14T07:00+01:00')).toISOString(), to: new Date(at('2026-01-14T15:00+01:00')).toISOString() });
    await Promise.all([a.app.handovers.settled(), b.app.handovers.settled()]);
    expect(receiver.posts.filter((p) => p.type === 'handover.created')).toHaveLength(1);
  });

  it('sums the events of a night across midnight and the business-day start, leaving out undone ones', async () => {
    now = at('2026-01-14T23:00+01:00');
    await tickBoth();
    const evening = (await list('2026-01-14', '2026-01-14')).find((h) => h.to === new Date(now).toISOString())!;
    expect(evening).toBeDefined();
    // The night: 23:00 → 07:00, with events before and after midnight and after 06:00.
    const expected = { intakes: 0, injection: 0, inhalation: 0, walkAways: 0, registrations: 0, joined: 0, naloxone: 0 };
    const bySubstance: Record<string, number> = {};
    const times = ['2026-01-14T23:10+01:00', '2026-01-14T23:55+01:00', '2026-01-15T00:20+01:00', '2026-01-15T03:00+01:00', '2026-01-15T05:59+01:00', '2026-01-15T06:10+01:00', '2026-01-15T06:58+01:00'];
    await (now = at(times[0]!), a.send('PUT', `${A}/staffing`, { onShift: 4 }));
    for (const [i, t] of times.entries()) {
      now = at(t);
      for (let q = 0; q < 3; q++) await cmd('/queue', { op: 'join' });
      expected.joined += 3;
      const booth = i % 2 === 0 ? `inj-${(i % 4) + 1}` : `smk-${(i % 3) + 1}`;
      const substance = SUBSTANCES[i % SUBSTANCES.length] as Substance;
      expect((await cmd(`/booths/${booth}/check-in`, { substance, route: i % 2 === 0 ? 'injection' : 'inhalation' })).status).toBe(200);
      expected.intakes++;
      expected[i % 2 === 0 ? 'injection' : 'inhalation']++;
      bySubstance[substance] = (bySubstance[substance] ?? 0) + 1;
      now += 60_000;
      await cmd(`/booths/${booth}/check-out`);
      await cmd(`/booths/${booth}/cleaned`);
      await cmd('/queue', { op: 'leave' });
      expected.walkAways++;
      await cmd('/registrations');
      expected.registrations++;
    }
    now = at('2026-01-15T06:59:30+01:00');
    await cmd('/incidents', { kind: 'overdose', boothId: 'inj-1', naloxone: true, ambulance: true });
    expected.naloxone++;
    await cmd('/booths/smk-3/out-of-service', { reason: 'biohazard' });
    // An undone registration counts nowhere.
    const undone = (await cmd('/registrations')).body.seq as number;
    expect((await cmd('/undo', { seq: undone })).status).toBe(200);
    await a.send('PUT', `${A}/staffing`, { onShift: 2 });

    now = at('2026-01-15T07:00+01:00');
    await tickBoth();
    const night = (await list('2026-01-15', '2026-01-15')).find((h) => h.shiftChange === new Date(now).toISOString())!;
    expect(night).toBeDefined();
    expect(night.from).toBe(new Date(at('2026-01-14T23:00+01:00')).toISOString());
    expect(night.fromSeq).toBe(evening.toSeq);
    const s = night.summary;
    expect(s.intakes.total).toBe(expected.intakes);
    expect(s.intakes.byKind).toEqual({ injection: expected.injection, inhalation: expected.inhalation });
    for (const sub of SUBSTANCES) expect(s.intakes.bySubstance[sub]).toBe(bySubstance[sub] ?? 0);
    expect(s.queue).toMatchObject({ joined: expected.joined, walkAways: expected.walkAways });
    expect(s.registrations).toBe(expected.registrations);
    expect(s.incidents).toEqual([expect.objectContaining({ kind: 'overdose', boothId: 'inj-1', naloxone: true, ambulance: true })]);
    expect(s.outOfService).toEqual([expect.objectContaining({ boothId: 'smk-3', reason: 'biohazard', backAt: null })]);
    // The queue grew to 2 × 3 − 1 … the peak is what the events left, never below the start.
    expect(s.peaks.queue).toBeGreaterThanOrEqual(3);
    expect(s.peaks.occupied).toBe(1);
    // Eight real hours, each with the plan (3) and the fewest/most on shift.
    expect(s.staffing).toHaveLength(8);
    expect(s.staffing.every((h) => h.planned === 3)).toBe(true);
    expect(s.staffing.some((h) => h.minOnShift === 2)).toBe(true);

    // The same night from the stored counters: the hour buckets of 23:00–06:59 across two business days.
    const r = a.store.redis;
    let counted = 0;
    let registrations = 0;
    for (let t = at('2026-01-14T23:00+01:00'); t < at('2026-01-15T07:00+01:00'); t += 3_600_000) {
      const slot = businessSlot(t, TZ, 6);
      counted += Number((await r.hget(keys.hour('alpha', slot.date, slot.hour), 'intakes')) ?? 0);
      registrations += Number((await r.hget(keys.hour('alpha', slot.date, slot.hour), 'registrations')) ?? 0);
    }
    expect(s.intakes.total).toBe(counted);
    expect(s.registrations).toBe(registrations);
  });

  it('closes the shift from the console with a note (≤ 500 characters); a close just before a shift change stands for it', async () => {
    const lead = await a.token('api', 'lead', ['alpha']);
    const staff = await a.token('api', 'staff', ['alpha']);
    now = at('2026-01-15T14:20+01:00');
    await cmd('/queue', { op: 'join' });
    const tooLong = await send(a.baseUrl, 'POST', `${A}/handovers`, { note: 'x'.repeat(HANDOVER_NOTE_MAX + 1) }, { authorization: `Bearer ${lead}` });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details).toEqual([expect.objectContaining({ path: 'note' })]);
    expect((await send(a.baseUrl, 'POST', `${A}/handovers`, { note: 'ok', extra: 1 }, { authorization: `Bearer ${lead}` })).status).toBe(400);
    expect((await send(a.baseUrl, 'POST', `${A}/handovers`, {}, { authorization: `Bearer ${staff}` })).status).toBe(403);
    const before = (await list('2026-01-15', '2026-01-15')).length;

    const socket = await connectClient(b.baseUrl, staff);
    await socket.subscribe('alpha');
    const pushed: HandoverChanged[] = [];
    socket.socket.on('handover:changed', (c) => pushed.push(c));
    const note = `${'Sink in room 2 leaks; plumber booked 08:00. '.repeat(12)}`.slice(0, HANDOVER_NOTE_MAX);
    const closed = await send(a.baseUrl, 'POST', `${A}/handovers`, { note }, { authorization: `Bearer ${lead}`, 'Idempotency-Key': 'close-shift-0001' });
    expect(closed.status).toBe(201);
    expect(closed.body).toMatchObject({ kind: 'closed', note: note.trim(), closedBy: expect.any(String), shiftChange: new Date(at('2026-01-15T15:00+01:00')).toISOString() });
    expect(closed.body.summary.queue.joined).toBe(1);
    // A retry with the same key makes no second handover.
    const again = await send(a.baseUrl, 'POST', `${A}/handovers`, { note }, { authorization: `Bearer ${lead}`, 'Idempotency-Key': 'close-shift-0001' });
    expect(again.body.id).toBe(closed.body.id);
    await waitFor(() => pushed.some((p) => p.kind === 'created' && p.handover.id === closed.body.id), 'the incoming shift to get the handover');

    // The 15:00 change was claimed by that close.
    now = at('2026-01-15T15:00+01:00');
    await tickBoth();
    expect((await list('2026-01-15', '2026-01-15')).length).toBe(before + 1);

    // Read by the incoming shift: every screen hears it, once.
    const read = await send(b.baseUrl, 'POST', `${A}/handovers/${closed.body.id}/read`, {}, { authorization: `Bearer ${staff}` });
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    await waitFor(() => pushed.some((p) => p.kind === 'read'), 'the read to be pushed');
    const page = await a.send('GET', `${A}/handovers/${closed.body.id}`);
    expect(Handover.parse(page.body)).toMatchObject({ id: closed.body.id, readBy: expect.any(String) });
    expect((await a.send('GET', `${A}/handovers/999999`)).status).toBe(404);
    expect((await a.send('GET', `${A}/handovers?from=2026-02-30`)).status).toBe(400);
    socket.socket.disconnect();
  });

  it('counts a night with the spring and the autumn DST change by real hours', async () => {
    for (const [evening, morning, hours] of [
      ['2026-03-28T23:00+01:00', '2026-03-29T07:00+02:00', 7],
      ['2026-10-24T23:00+02:00', '2026-10-25T07:00+01:00', 9],
    ] as const) {
      now = at(evening);
      await tickBoth();
      // Intakes around the changed hour (02:00–03:00 local).
      for (const t of [at(evening) + 3 * 3_600_000 + 10 * 60_000, at(evening) + 4 * 3_600_000 + 5 * 60_000]) {
        now = t;
        await cmd('/booths/inj-4/check-in', { substance: 'heroin', route: 'injection' });
        now += 60_000;
        await cmd('/booths/inj-4/check-out');
        await cmd('/booths/inj-4/cleaned');
      }
      now = at(morning);
      await tickBoth();
      const h = (await list(morning.slice(0, 10), morning.slice(0, 10))).find((x) => x.shiftChange === new Date(at(morning)).toISOString())!;
      expect(h.from).toBe(new Date(at(evening)).toISOString());
      expect(h.summary.staffing).toHaveLength(hours);
      expect(h.summary.intakes.total).toBe(2);
      expect(h.summary.intakes.bySubstance.heroin).toBe(2);
    }
  });
});
