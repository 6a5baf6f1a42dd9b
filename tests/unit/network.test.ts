import { describe, expect, it } from 'vitest';
import type { Booth, Snapshot } from '../../shared/api';
import { emptyCounters } from '../../shared/counters';
import {
  NetworkSite,
  redirectSuggestion,
  shortKinds,
  siteAvailability,
  SiteAvailability,
  type RoomKindAvailability,
} from '../../shared/network';
import { SESSION_PRIOR_CHECKOUTS, siteSessionMinutes, typicalSessionMinutes } from '../../shared/sessionModel';
import { networkIssues, SiteConfig, SitesFile } from '../../shared/siteConfig';
import type { BoothState } from '../../shared/vocabulary';
import { siteEntry } from '../../server/sites/sites.registry';

const at = (iso: string) => Date.parse(iso);

/** Skyen-like: 24 h, with a dated closure; H17-like: 07:30–23:30 daily; a night room Fri–Sat. */
const skyen = siteEntry(
  SiteConfig.parse({
    id: 'skyen',
    name: 'Sundholmsvej Fixerum – Indgang B',
    network: 'København',
    rooms: [
      { id: 'inj', name: 'Injektionsrum', kind: 'injection', booths: 9, datedHours: [{ from: '2026-12-24', to: '2026-12-24', hours: 'closed', label: 'Juleaften' }] },
      { id: 'smk', name: 'Rygerum', kind: 'inhalation', booths: 8 },
    ],
  }),
).info;
const h17 = siteEntry(
  SiteConfig.parse({
    id: 'h17',
    name: 'H17',
    rooms: [
      { id: 'inj', name: 'Injektion', kind: 'injection', booths: 6, openingHours: [{ open: '07:30', close: '23:30' }] },
      { id: 'smk', name: 'Rygning', kind: 'inhalation', booths: 6, openingHours: [{ open: '07:30', close: '23:30' }] },
      { id: 'night', name: 'Natrum', kind: 'inhalation', booths: 2, openingHours: [{ days: ['fri', 'sat'], open: '22:00', close: '06:00' }] },
    ],
  }),
).info;

function snapshotOf(site: typeof skyen, states: Record<string, BoothState>, queue = 0, now = Date.now()): Snapshot {
  const booths: Booth[] = site.rooms.flatMap((r) =>
    r.booths.map((b) => ({ id: b.id, roomId: r.id, label: b.label, kind: r.kind, state: states[b.id] ?? 'free', since: null, substance: null, route: null, assisted: false, reason: null })),
  );
  return {
    siteId: site.id,
    seq: 1,
    at: new Date(now).toISOString(),
    businessDate: '2026-03-10',
    booths,
    queue,
    onShift: 6,
    occupied: booths.filter((b) => b.state === 'occupied').length,
    counters: emptyCounters(),
    hourlyIntakes: Array<number>(24).fill(0),
    rooms: site.rooms.map((r) => ({ id: r.id, open: true })),
    incidents: [],
  };
}

/** Occupies the first `n` booths of a room. */
const occupy = (room: string, n: number, state: BoothState = 'occupied'): Record<string, BoothState> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${room}-${i + 1}`, state]));

describe('siteAvailability', () => {
  it('counts free and in-service places per kind and estimates the wait (a real evening at Skyen)', () => {
    const now = at('2026-03-10T19:00:00Z');
    const snap = snapshotOf(skyen, { ...occupy('inj', 9), ...occupy('smk', 7), 'smk-8': 'out_of_service' }, 15, now);
    const a = siteAvailability(skyen, snap, now);
    expect(SiteAvailability.parse(a)).toEqual(a);
    expect(a).toMatchObject({ id: 'skyen', name: 'Sundholmsvej Fixerum – Indgang B', open: true, queue: 15 });
    expect(a.closesAt).toBeUndefined(); // round the clock, no closure within a week
    expect(a.rooms).toEqual([
      { kind: 'injection', open: true, free: 0, places: 9 },
      { kind: 'inhalation', open: true, free: 0, places: 7 },
    ]);
    // 16 open places, nobody free, 15 ahead: (15 + 1) × mean ÷ 16, a positive whole number.
    expect(Number.isInteger(a.waitMinutes)).toBe(true);
    expect(a.waitMinutes).toBeGreaterThan(10);
    // With a measured mean of 20 min: (16 × 20) ÷ 16 = 20.
    expect(siteAvailability(skyen, snap, now, 20).waitMinutes).toBe(20);
  });

  it('pools the day\'s check-outs with the prior: one quick check-out does not empty the wait', () => {
    const now = at('2026-03-10T07:05:00Z');
    const full = snapshotOf(skyen, { ...occupy('inj', 9), ...occupy('smk', 8) }, 15, now);
    const typical = typicalSessionMinutes(skyen);
    expect(siteSessionMinutes(skyen, full)).toBe(typical);
    // The morning's first check-out, a check-in tapped by mistake and checked out at once (0 min).
    const oneMistake = { ...full, counters: { ...emptyCounters(), checkouts: 1, sessionMinutesTotal: 0 } };
    const pooled = siteSessionMinutes(skyen, oneMistake);
    expect(pooled).toBeCloseTo((SESSION_PRIOR_CHECKOUTS * typical) / (SESSION_PRIOR_CHECKOUTS + 1), 9);
    // 15 waiting, every place taken: not "no wait" (it would be, on that one check-out alone).
    expect(siteAvailability(skyen, oneMistake, now).waitMinutes).toBeGreaterThan(10);
    expect(siteAvailability(skyen, oneMistake, now, 0).waitMinutes).toBe(0);
    // A real afternoon: 412 check-outs averaging 22 minutes: the day's own figure carries it.
    const afternoon = { ...full, counters: { ...emptyCounters(), checkouts: 412, sessionMinutesTotal: 412 * 22 } };
    expect(siteSessionMinutes(skyen, afternoon)).toBeGreaterThan(21.8);
    expect(siteSessionMinutes(skyen, afternoon)).toBeLessThan(22);
    // A forecast's mean, when the caller has one, is the prior instead.
    expect(siteSessionMinutes(skyen, full, 17.5)).toBe(17.5);
  });

  it('does not count free places while intakes are paused (no free responder)', () => {
    const now = at('2026-03-10T03:00:00Z');
    // 15 waiting, 5 places free. Six on shift: the queue alone makes the level critical, but the
    // places still fill, so the newcomer is number 11 for 17 places: (10 + 1) × 20 ÷ 17 → 13 min.
    const staffed = snapshotOf(skyen, { ...occupy('inj', 7), ...occupy('smk', 5) }, 15, now);
    expect(siteAvailability(skyen, staffed, now, 20)).toMatchObject({ waitMinutes: 13 });
    expect(siteAvailability(skyen, staffed, now, 20).intakesPaused).toBeUndefined();
    // Nobody on shift: no responder, intakes paused.
    const unstaffed = { ...staffed, onShift: 0 };
    // Paused: everyone waits as if all 17 places were taken: (15 + 1) × 20 ÷ 17 → 19 minutes.
    const paused = siteAvailability(skyen, unstaffed, now, 20);
    expect(paused).toMatchObject({ intakesPaused: true, waitMinutes: 19, queue: 15 });
    expect(SiteAvailability.parse(paused)).toEqual(paused);
  });

  it('says until when across midnight and from when while closed', () => {
    // Tuesday 22:00 local (21:00Z, winter): H17's day rooms close at 23:30 local = 22:30Z.
    const tue = at('2026-03-10T21:00:00Z');
    const a = siteAvailability(h17, snapshotOf(h17, occupy('inj', 2), 0, tue), tue);
    expect(a.open).toBe(true);
    expect(a.closesAt).toBe('2026-03-10T22:30:00.000Z');
    expect(a.rooms.find((r) => r.kind === 'injection')).toEqual({ kind: 'injection', open: true, free: 4, places: 6, closesAt: '2026-03-10T22:30:00.000Z' });
    // Tuesday 01:00 local: all closed; opens 07:30 local.
    const night = at('2026-03-11T00:00:00Z');
    const b = siteAvailability(h17, snapshotOf(h17, {}, 0, night), night);
    expect(b).toMatchObject({ open: false, opensAt: '2026-03-11T06:30:00.000Z', waitMinutes: 0 });
    expect(b.closesAt).toBeUndefined();
    expect(b.rooms.every((r) => !r.open && r.free === 0 && r.places === 0)).toBe(true);
    // Friday 23:45 local: the day rooms have closed, the night room is open until 06:00 Saturday.
    const fri = at('2026-03-13T22:45:00Z');
    const c = siteAvailability(h17, snapshotOf(h17, {}, 0, fri), fri);
    expect(c).toMatchObject({ open: true, closesAt: '2026-03-14T05:00:00.000Z' });
    expect(c.rooms).toEqual([
      { kind: 'injection', open: false, free: 0, places: 0, opensAt: '2026-03-14T06:30:00.000Z' },
      { kind: 'inhalation', open: true, free: 2, places: 2, closesAt: '2026-03-14T05:00:00.000Z' },
    ]);
  });

  it('counts the right instants across DST changes', () => {
    // Spring: Saturday 28 March 23:00 local; the night room closes 06:00 local on the 29th = 04:00Z.
    const spring = at('2026-03-28T22:00:00Z');
    expect(siteAvailability(h17, snapshotOf(h17, {}, 0, spring), spring).closesAt).toBe('2026-03-29T04:00:00.000Z');
    // Autumn: Saturday 24 October 23:00 local (21:00Z); 06:00 local on the 25th is 05:00Z (25-hour night).
    const autumn = at('2026-10-24T21:00:00Z');
    expect(siteAvailability(h17, snapshotOf(h17, {}, 0, autumn), autumn).closesAt).toBe('2026-10-25T05:00:00.000Z');
    // Sunday 25 October 01:00Z (02:00 local, second time round): still the night room's night.
    const repeated = at('2026-10-25T01:00:00Z');
    expect(siteAvailability(h17, snapshotOf(h17, {}, 0, repeated), repeated).open).toBe(true);
  });

  it('sees dated closures and early openings', () => {
    // Christmas Eve: Skyen's injection room is closed all day; its smoking room stays open.
    const xmas = at('2026-12-24T12:00:00Z');
    const a = siteAvailability(skyen, snapshotOf(skyen, {}, 0, xmas), xmas);
    expect(a.open).toBe(true);
    expect(a.rooms[0]).toEqual({ kind: 'injection', open: false, free: 0, places: 0, opensAt: '2026-12-24T23:00:00.000Z' });
    // Just before: the injection room's closing at midnight local shows on the kind, the site stays open round the clock.
    const before = at('2026-12-23T20:00:00Z');
    const b = siteAvailability(skyen, snapshotOf(skyen, {}, 0, before), before);
    expect(b.rooms[0]!.closesAt).toBe('2026-12-23T23:00:00.000Z');
    expect(b.closesAt).toBeUndefined();
    // A lead opened H17's injection room early at 06:30 local until 07:30.
    const early = at('2026-03-10T05:30:00Z');
    const snap = snapshotOf(h17, {}, 0, early);
    snap.rooms = snap.rooms.map((r) => (r.id === 'inj' ? { ...r, openedEarly: { until: '2026-03-10T06:30:00.000Z', by: 'lead' } } : r));
    const c = siteAvailability(h17, snap, early);
    expect(c.open).toBe(true);
    expect(c.rooms[0]).toMatchObject({ kind: 'injection', open: true, free: 6 });
  });
});

// ---- the redirect rule -----------------------------------------------------------------------

const NOW = at('2026-11-30T20:00:00Z');
const minutes = (m: number) => new Date(NOW + m * 60_000).toISOString();
const kind = (k: RoomKindAvailability['kind'], free: number, extra: Partial<RoomKindAvailability> = {}): RoomKindAvailability => ({ kind: k, open: true, free, places: 6, ...extra });
const own = (over: Partial<SiteAvailability & { level: 'normal' | 'busy' | 'strained' | 'critical' }> = {}) => ({
  id: 'skyen',
  name: 'Skyen',
  open: true,
  rooms: [kind('injection', 0), kind('inhalation', 0)],
  queue: 15,
  waitMinutes: 35,
  level: 'critical' as const,
  ...over,
});
const other = (over: Partial<NetworkSite> = {}): NetworkSite => ({
  id: 'h17',
  name: 'H17',
  open: true,
  closesAt: minutes(210),
  rooms: [kind('injection', 4, { closesAt: minutes(210) }), kind('inhalation', 0, { closesAt: minutes(210) })],
  queue: 0,
  waitMinutes: 0,
  walkMinutes: 6,
  ...over,
});

describe('redirectSuggestion', () => {
  it('suggests the open site with free places of the kind the own site is short of', () => {
    expect(redirectSuggestion(own(), [other()], NOW, 20)).toEqual({
      siteId: 'h17',
      name: 'H17',
      walkMinutes: 6,
      rooms: [{ kind: 'injection', free: 4 }],
      queue: 0,
      waitMinutes: 0,
      closesAt: minutes(210),
    });
  });

  it('needs the own site busy or worse, or its wait past the threshold', () => {
    expect(redirectSuggestion(own({ level: 'normal', waitMinutes: 20, queue: 2 }), [other()], NOW, 20)).toBeNull();
    expect(redirectSuggestion(own({ level: 'normal', waitMinutes: 21, queue: 2 }), [other()], NOW, 20)?.siteId).toBe('h17');
    expect(redirectSuggestion(own({ level: 'busy', waitMinutes: 5, queue: 2 }), [other()], NOW, 20)?.siteId).toBe('h17');
    // The default threshold is 20 minutes.
    expect(redirectSuggestion(own({ level: 'normal', waitMinutes: 25 }), [other()], NOW)?.siteId).toBe('h17');
  });

  it('never sends people to a site that has paused its intakes, however free it looks', () => {
    expect(redirectSuggestion(own(), [other({ intakesPaused: true, waitMinutes: 3 })], NOW, 20)).toBeNull();
    const near = other({ id: 'near', intakesPaused: true, walkMinutes: 2 });
    expect(redirectSuggestion(own(), [near, other()], NOW, 20)?.siteId).toBe('h17');
  });

  it('needs the other site open for at least the walk plus 30 minutes', () => {
    const closing = (m: number) => other({ closesAt: minutes(m), rooms: [kind('injection', 4, { closesAt: minutes(m) })] });
    expect(redirectSuggestion(own(), [closing(6 + 29)], NOW, 20)).toBeNull();
    expect(redirectSuggestion(own(), [closing(6 + 30)], NOW, 20)?.siteId).toBe('h17');
    // Round the clock (no closing time) is always long enough.
    expect(redirectSuggestion(own(), [other({ rooms: [kind('injection', 1)] })], NOW, 20)?.closesAt).toBeUndefined();
    // Closed sites and closed kinds are never suggested.
    expect(redirectSuggestion(own(), [other({ open: false })], NOW, 20)).toBeNull();
    expect(redirectSuggestion(own(), [other({ rooms: [kind('injection', 4, { open: false })] })], NOW, 20)).toBeNull();
  });

  it('needs free places of the kind the own site is short of', () => {
    // Own site has free injection places beyond its queue; short of smoking places only.
    const ownSmokingShort = own({ rooms: [kind('injection', 5), kind('inhalation', 0)], queue: 3, level: 'strained' });
    expect(shortKinds(ownSmokingShort)).toEqual(['inhalation']);
    expect(redirectSuggestion(ownSmokingShort, [other()], NOW, 20)).toBeNull();
    const withSmoking = other({ rooms: [kind('injection', 4), kind('inhalation', 2)] });
    expect(redirectSuggestion(ownSmokingShort, [withSmoking], NOW, 20)?.rooms).toEqual([{ kind: 'inhalation', free: 2 }]);
    // A site with free places everywhere is not short of anything: no suggestion, however busy.
    expect(redirectSuggestion(own({ rooms: [kind('injection', 4), kind('inhalation', 3)], queue: 0, level: 'critical' }), [other()], NOW, 20)).toBeNull();
    // A kind the own site has closed counts as short.
    expect(shortKinds(own({ rooms: [kind('injection', 0, { open: false }), kind('inhalation', 8)], queue: 0 }))).toEqual(['injection']);
  });

  it('needs a strictly shorter wait', () => {
    expect(redirectSuggestion(own({ waitMinutes: 25 }), [other({ waitMinutes: 25 })], NOW, 20)).toBeNull();
    expect(redirectSuggestion(own({ waitMinutes: 25 }), [other({ waitMinutes: 24 })], NOW, 20)?.waitMinutes).toBe(24);
  });

  it('picks the site reached soonest, then the most free places, then by id; never the own site', () => {
    const far = other({ id: 'a-far', walkMinutes: 25 });
    const near = other({ id: 'z-near', walkMinutes: 6, waitMinutes: 10 });
    expect(redirectSuggestion(own(), [far, near], NOW, 20)?.siteId).toBe('z-near'); // 16 < 25
    const tieA = other({ id: 'b', rooms: [kind('injection', 2, { closesAt: minutes(300) })] });
    const tieB = other({ id: 'c', rooms: [kind('injection', 5, { closesAt: minutes(300) })] });
    expect(redirectSuggestion(own(), [tieA, tieB], NOW, 20)?.siteId).toBe('c');
    expect(redirectSuggestion(own(), [other({ id: 'y' }), other({ id: 'x' })], NOW, 20)?.siteId).toBe('x');
    expect(redirectSuggestion(own(), [other({ id: 'skyen' })], NOW, 20)).toBeNull();
  });
});

describe('network in the sites file', () => {
  const room = [{ id: 'inj', name: 'I', kind: 'injection', booths: 2 }];
  const file = (sites: Array<Record<string, unknown>>) => SitesFile.safeParse({ sites: sites.map((s) => ({ rooms: room, ...s })) });
  it('accepts a network with walking minutes between its sites', () => {
    const r = file([
      { id: 'skyen', name: 'Skyen', network: 'København', walkMinutes: { h17: 6 } },
      { id: 'h17', name: 'H17', network: 'København', walkMinutes: { skyen: 6 } },
      { id: 'aarhus', name: 'Aarhus', network: 'Aarhus' },
    ]);
    expect(r.success).toBe(true);
  });

  it('refuses walks to itself, to unknown sites, to other networks, without a network, and odd minutes', () => {
    const r = file([
      { id: 'skyen', name: 'Skyen', network: 'København', walkMinutes: { skyen: 1, ghost: 5, aarhus: 180 } },
      { id: 'h17', name: 'H17', walkMinutes: { skyen: 6 } },
      { id: 'aarhus', name: 'Aarhus', network: 'Aarhus' },
    ]);
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        'sites.0.walkMinutes.skyen: a site does not walk to itself',
        'sites.0.walkMinutes.ghost: no site ghost',
        'sites.0.walkMinutes.aarhus: aarhus is not in network København',
        'sites.1.network: name the network the walking minutes belong to',
      ]),
    );
    for (const bad of [0, -3, 2.5, 241]) expect(file([{ id: 'a', name: 'A', network: 'N', walkMinutes: { b: bad } }, { id: 'b', name: 'B', network: 'N' }]).success).toBe(false);
    expect(networkIssues([{ id: 'a', network: 'N', walkMinutes: { b: 4 } }, { id: 'b', network: 'N' }])).toEqual([]);
  });
});
