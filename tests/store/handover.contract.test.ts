import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { HandoverRepository } from '../../server/handovers/handover.repository';
import { HandoverService } from '../../server/handovers/handover.service';
import { createLogger } from '../../server/logger';
import { SiteRegistry } from '../../server/sites/sites.registry';
import type { HandoverChanged } from '../../shared/handovers';
import { storeEngines } from '../support/engines';
import { floorHarness } from '../support/floorHarness';
import { testSites } from '../support/testServer';

/** Handovers on both engines: the same scripts make exactly one per shift change, and the sums come from the event log. */
const engines = storeEngines();

describe.each(engines)('handovers on $name', ({ connect, available }) => {
  let redis: Redis;
  let h: ReturnType<typeof floorHarness>;
  let pushed: HandoverChanged[];
  let services: HandoverService[];

  beforeAll(async () => {
    if (available) redis = await connect();
  });
  afterAll(async () => {
    if (available) redis.disconnect();
  });
  beforeEach(async (ctx) => {
    if (!available) return ctx.skip();
    await redis.flushall();
    h = floorHarness(redis);
    pushed = [];
    const file = testSites();
    file.sites.find((s) => s.id === 'alpha')!.shiftChanges = ['07:00', '19:00'];
    const sites = new SiteRegistry(file);
    // Two services on one store: two instances of the app.
    services = [0, 1].map(
      () =>
        new HandoverService({
          repo: new HandoverRepository(redis),
          sites,
          realtime: { handoverChanged: (c) => void pushed.push(c) },
          clock: () => h.clock.now,
          log: createLogger('silent'),
          mailer: null,
          alerts: async () => [],
          tickMs: 0,
        }),
    );
  });

  const lead = { kind: 'user' as const, id: 'lead-1', role: 'lead' as const, sites: '*' as const, displayName: 'Lone Sørensen-Kierkegaard' };

  it('makes one handover per shift change however many instances tick, and chains spans by seq', async () => {
    h.clock.now = Date.parse('2026-03-10T17:30:00Z'); // 18:30 in Copenhagen
    await h.floor.boothCommand(h.req(), 'inj-1', 'check-in', { substance: 'cocaine', route: 'injection', assisted: false });
    await h.floor.boothCommand(h.req(), 'smk-1', 'check-in', { substance: 'mixed', route: 'inhalation', assisted: false });
    await h.floor.queue(h.req(), { op: 'join' });
    await h.floor.queue(h.req(), { op: 'leave' });
    await h.floor.incident(h.req(), { kind: 'overdose', naloxone: true, ambulance: false });
    h.clock.now = Date.parse('2026-03-10T18:00:00Z'); // 19:00: the shift change
    await h.floor.registration(h.req()); // at the change itself: the next shift's
    const made = await Promise.all([...services, ...services].map((s) => s.ensureScheduled('alpha')));
    expect(made.filter(Boolean)).toHaveLength(1);
    expect(pushed.filter((p) => p.kind === 'created')).toHaveLength(1);
    const first = made.find(Boolean)!;
    expect(first.summary.intakes).toMatchObject({ total: 2, byKind: { injection: 1, inhalation: 1 } });
    expect(first.summary.queue).toMatchObject({ joined: 1, walkAways: 1 });
    expect(first.summary.incidents).toHaveLength(1);
    expect(first.summary.registrations).toBe(0);
    expect(first.summary.peaks.occupied).toBe(2);

    h.clock.now = Date.parse('2026-03-10T18:40:00Z');
    const closed = await services[1]!.close(lead, 'alpha', 'Needle bin in room 1 is full');
    expect(closed).toMatchObject({ kind: 'closed', fromSeq: first.toSeq, note: 'Needle bin in room 1 is full', closedBy: 'Lone Sørensen-Kierkegaard' });
    expect(closed.summary.registrations).toBe(1);
    expect(closed.summary.events).toBe(1);

    const read = await services[0]!.markRead(lead, 'alpha', closed.id);
    expect(read.readBy).toBe('Lone Sørensen-Kierkegaard');
    await services[1]!.markRead({ ...lead, displayName: 'Someone Else' }, 'alpha', closed.id);
    expect((await services[1]!.get('alpha', closed.id)).readBy).toBe('Lone Sørensen-Kierkegaard');
    expect(pushed.filter((p) => p.kind === 'read')).toHaveLength(1);
  });
});
