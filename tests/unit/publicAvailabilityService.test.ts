import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/api';
import { emptyCounters } from '../../shared/counters';
import { createLogger } from '../../server/logger';
import { PublicAvailabilityService } from '../../server/public/publicAvailability.service';
import { SiteRegistry } from '../../server/sites/sites.registry';
import { PUBLIC_NOW, PUBLIC_SITES } from '../support/publicSites';

/** The public figures' cache: one store reading shared by everyone, a stale one standing in for a while. */
const registry = new SiteRegistry(PUBLIC_SITES);

function snapshotOf(siteId: string): Snapshot {
  const e = registry.get(siteId)!;
  return {
    siteId,
    seq: 1,
    at: new Date(PUBLIC_NOW).toISOString(),
    businessDate: '2026-11-30',
    booths: e.info.rooms.flatMap((r) => r.booths.map((b) => ({ id: b.id, roomId: r.id, label: b.label, kind: r.kind, state: 'free' as const, since: null, substance: null, route: null, assisted: false, reason: null }))),
    queue: 0,
    onShift: 4,
    occupied: 0,
    counters: emptyCounters(),
    hourlyIntakes: new Array<number>(24).fill(0),
    rooms: [],
    incidents: [],
  };
}

function service(opts: { refreshMs: number; staleMs?: number }) {
  const reads: string[] = [];
  let failing = false;
  let release: (() => void) | null = null;
  let gate: Promise<void> | null = null;
  const svc = new PublicAvailabilityService({
    sites: registry,
    snapshot: async (siteId) => {
      reads.push(siteId);
      if (gate) await gate;
      if (failing) throw new Error('Connection is closed.');
      return snapshotOf(siteId);
    },
    clock: () => PUBLIC_NOW,
    siteClock: () => PUBLIC_NOW,
    storeUp: () => true,
    log: createLogger('silent'),
    ...opts,
  });
  return {
    svc,
    reads,
    fail: (on: boolean) => void (failing = on),
    hold: () => void (gate = new Promise<void>((r) => (release = r))),
    release: () => {
      gate = null;
      release?.();
    },
  };
}

describe('the public figures are read once and shared', () => {
  it('serves 500 concurrent callers from one reading of each public site (single flight)', async () => {
    const t = service({ refreshMs: 60_000 });
    t.hold();
    const views = Array.from({ length: 500 }, () => t.svc.view());
    t.release();
    const got = await Promise.all(views);
    expect(t.reads.sort()).toEqual(['h17', 'skyen']);
    expect(new Set(got).size).toBe(1);
    expect(got[0]!.sites.map((s) => s.site.id)).toEqual(['skyen', 'h17']);
    // Later callers within the period: no new reading.
    await t.svc.view();
    expect(t.reads).toHaveLength(2);
  });

  it('lets the last reading stand in while the store fails, and does not retry before the period has passed', async () => {
    const t = service({ refreshMs: 0, staleMs: 60_000 });
    const first = await t.svc.view();
    t.fail(true);
    expect(await t.svc.view()).toBe(first);
    // (with no period, the failed reading was really attempted: 2 good reads, then 2 failed ones)
    expect(t.reads).toHaveLength(4);
    // With a period, a failure is not retried by every caller.
    const slow = service({ refreshMs: 60_000, staleMs: 0 });
    slow.fail(true);
    await expect(slow.svc.view()).rejects.toThrow();
    await expect(slow.svc.view()).rejects.toThrow();
    expect(slow.reads).toHaveLength(2); // one reading of the two sites, then no retry
  });

  it('renders each page once per reading', async () => {
    const t = service({ refreshMs: 60_000 });
    const view = await t.svc.view();
    let renders = 0;
    const render = () => `page ${++renders}`;
    expect(t.svc.rendered(view, 'open:da', render)).toEqual(t.svc.rendered(view, 'open:da', render));
    expect(renders).toBe(1);
    t.svc.rendered(view, 'open:en', render);
    expect(renders).toBe(2);
  });
});
