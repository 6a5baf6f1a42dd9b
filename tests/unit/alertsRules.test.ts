import { describe, expect, it } from 'vitest';
import type { Booth } from '../../shared/api';
import {
  boothsPerStaffRule,
  evaluateRules,
  forecastGapRule,
  noDataRule,
  occupancyRule,
  overdoseClusterRule,
  overstayRule,
  paydayAheadRule,
  queueRule,
  responderFloorRule,
  wallOfflineRule,
  type AlertInput,
  type ForecastSlot,
} from '../../shared/alerts/rules';
import { alertSettingsOf } from '../../shared/alerts/settings';
import { alertTitle } from '../../shared/alerts/text';
import { roleAtLeast } from '../../shared/vocabulary';
import { DEFAULT_PUSH_CHANNEL, routes } from '../../server/alerts/notifier';

const S = alertSettingsOf(undefined).rules;
const NOW = Date.parse('2025-03-12T14:00:00Z');
const MIN = 60_000;

const booth = (id: string, state: Booth['state'] = 'free', sinceMinAgo?: number): Booth => ({
  id,
  roomId: id.split('-')[0]!,
  label: id.split('-')[1]!,
  kind: id.startsWith('inj') ? 'injection' : 'inhalation',
  state,
  since: sinceMinAgo === undefined ? null : new Date(NOW - sinceMinAgo * MIN).toISOString(),
  substance: null,
  route: null,
  assisted: false,
  reason: null,
});

/** 10 injection booths, the first `occupied` of them occupied. */
function input(over: Partial<AlertInput> & { occupied?: number; onShift?: number; queue?: number } = {}): AlertInput {
  const occupied = over.occupied ?? 0;
  const ids = Array.from({ length: 10 }, (_, i) => `inj-${i + 1}`);
  return {
    now: NOW,
    snapshot: {
      booths: ids.map((id, i) => booth(id, i < occupied ? 'occupied' : 'free', 5)),
      queue: over.queue ?? 0,
      onShift: over.onShift ?? 4,
      occupied,
    },
    rooms: [{ id: 'inj', open: true, maxSessionMinutes: 30, boothIds: ids }],
    overdoses: [],
    lastEventAt: NOW - MIN,
    forecast: null,
    payday: null,
    displays: [],
    ...over,
  };
}
const one = <T>(list: T[]): T => {
  expect(list).toHaveLength(1);
  return list[0]!;
};

describe('booths per staff: > 4 warning, > 6 critical, clears < 3.5', () => {
  const at = (occupied: number, onShift: number) => one(boothsPerStaffRule(input({ occupied, onShift }), S['booths-per-staff']));
  it('fires above, not at, the threshold', () => {
    expect(at(8, 2)).toMatchObject({ fire: null, value: 4 }); // exactly 4: not above
    expect(at(9, 2)).toMatchObject({ fire: 'warning', value: 4.5 });
    expect(at(6, 1)).toMatchObject({ fire: 'warning', hold: 'critical' }); // exactly 6: warning
    expect(at(7, 1)).toMatchObject({ fire: 'critical' });
  });
  it('holds down to the clear threshold 3.5 and lets go below it', () => {
    expect(at(7, 2)).toMatchObject({ fire: null, hold: 'warning' }); // 3.5
    expect(at(6, 2)).toMatchObject({ fire: null, hold: null }); // 3
  });
  it('reads nobody on shift with people in booths as critical, and an empty floor as nothing', () => {
    expect(at(1, 0)).toMatchObject({ fire: 'critical', detail: { value: 999 } });
    expect(boothsPerStaffRule(input({ occupied: 0, onShift: 0 }), S['booths-per-staff'])).toEqual([]);
  });
});

describe('occupancy: ≥ 90 % of open booths, clears < 75 %', () => {
  const at = (i: AlertInput) => one(occupancyRule(i, S.occupancy));
  it('fires at and above 90 %, holds from 75 %', () => {
    expect(at(input({ occupied: 8 }))).toMatchObject({ fire: null, hold: 'warning', value: 0.8 });
    expect(at(input({ occupied: 9 }))).toMatchObject({ fire: 'warning', value: 0.9 });
    expect(at(input({ occupied: 10 }))).toMatchObject({ fire: 'warning' });
    expect(at(input({ occupied: 7 }))).toMatchObject({ fire: null, hold: null });
  });
  it('counts only open, in-service booths', () => {
    const i = input({ occupied: 8 });
    for (const k of [8, 9]) i.snapshot.booths[k] = { ...i.snapshot.booths[k]!, state: 'out_of_service' };
    expect(at(i)).toMatchObject({ fire: 'warning', detail: { open: 8, occupied: 8 } });
    expect(occupancyRule({ ...i, rooms: [{ ...i.rooms[0]!, open: false }] }, S.occupancy)).toEqual([]);
  });
});

describe('queue: ≥ 5 warning, ≥ 10 critical, clears < 3', () => {
  const at = (queue: number) => one(queueRule(input({ queue }), S.queue));
  it('fires at the thresholds', () => {
    expect(at(4)).toMatchObject({ fire: null, hold: 'warning' });
    expect(at(5)).toMatchObject({ fire: 'warning' });
    expect(at(9)).toMatchObject({ fire: 'warning', hold: 'critical' });
    expect(at(10)).toMatchObject({ fire: 'critical' });
    expect(at(3)).toMatchObject({ fire: null, hold: 'warning' });
    expect(at(2)).toMatchObject({ fire: null, hold: null });
  });
});

describe('overstay: a booth occupied past its room maximum', () => {
  it('fires per booth only past the maximum, keyed by the session', () => {
    const i = input();
    i.snapshot.booths[0] = booth('inj-1', 'occupied', 30);
    i.snapshot.booths[1] = booth('inj-2', 'occupied', 31);
    i.snapshot.booths[2] = booth('inj-3', 'cleaning', 60);
    const s = one(overstayRule(i, S.overstay));
    expect(s).toMatchObject({ fire: 'warning', detail: { boothId: 'inj-2', value: 31, threshold: 30 } });
    expect(s.key).toBe(`overstay:inj-2:${NOW - 31 * MIN}`);
  });
});

describe('overdose cluster: ≥ 2 within 60 min', () => {
  const at = (agoMinutes: number[]) => one(overdoseClusterRule(input({ overdoses: agoMinutes.map((m) => NOW - m * MIN) }), S['overdose-cluster']));
  it('fires at two within the window and clears when the window passes', () => {
    expect(at([5])).toMatchObject({ fire: null });
    expect(at([5, 59])).toMatchObject({ fire: 'critical', value: 2 });
    expect(at([5, 60])).toMatchObject({ fire: null, value: 1 });
  });
});

describe('responder floor: on shift − occupied ÷ 5 − 2 × overdoses (30 min) < 1', () => {
  const at = (o: Partial<AlertInput> & { occupied?: number; onShift?: number }) => responderFloorRule(input(o), S['responder-floor']);
  it('fires below one free responder, not at one', () => {
    expect(one(at({ onShift: 2, occupied: 5 }))).toMatchObject({ fire: null, value: 1 });
    expect(one(at({ onShift: 2, occupied: 6 }))).toMatchObject({ fire: 'critical', value: 0.8, silenceable: false });
    expect(one(at({ onShift: 4, occupied: 5, overdoses: [NOW - 10 * MIN] }))).toMatchObject({ fire: null, value: 1 });
    expect(one(at({ onShift: 4, occupied: 6, overdoses: [NOW - 10 * MIN] }))).toMatchObject({ fire: 'critical' });
    expect(one(at({ onShift: 4, occupied: 6, overdoses: [NOW - 31 * MIN] }))).toMatchObject({ fire: null });
  });
  it('does not read an unused floor as unsafe, but does read nobody on shift with a queue', () => {
    expect(at({ onShift: 0, occupied: 0 })).toEqual([]);
    expect(one(at({ onShift: 0, occupied: 0, queue: 1 } as never))).toMatchObject({ fire: 'critical' });
  });
});

const slots = (expected: number, recommended: number, planned: number | null): ForecastSlot[] =>
  [0, 1, 2, 3].map((k) => ({ start: NOW - 30 * MIN + k * 3_600_000, expectedIntakes: expected, recommendedStaff: recommended, plannedStaff: planned }));

describe('no data: 30 min without events while open and traffic is expected', () => {
  const at = (silent: number, expected = 20, open = true) =>
    noDataRule(input({ lastEventAt: NOW - silent * MIN, forecast: slots(expected, 2, 2), rooms: [{ id: 'inj', open, maxSessionMinutes: 30, boothIds: [] }] }), S['no-data']);
  it('fires at 30 minutes of silence, not before; only when open and expected', () => {
    expect(at(29)).toEqual([]);
    expect(one(at(30))).toMatchObject({ fire: 'warning', value: 30 });
    expect(at(45, 1)).toEqual([]);
    expect(at(45, 20, false)).toEqual([]);
    expect(noDataRule(input({ lastEventAt: NOW - 45 * MIN, forecast: null }), S['no-data'])).toEqual([]);
  });
});

describe('payday ahead: from 12:00 the day before until payday ends', () => {
  const payday = { date: '2025-03-13', notifyFrom: NOW, until: NOW + 30 * 3_600_000, expectedTotal: 812.4, recommendedStaff: 6, plannedStaff: 4 };
  it('is a warning (on the wall, pushed) inside the window only', () => {
    expect(paydayAheadRule(input({ payday, now: NOW - 1 }), S['payday-ahead'])).toEqual([]);
    expect(one(paydayAheadRule(input({ payday }), S['payday-ahead']))).toMatchObject({ fire: 'warning', key: 'payday-ahead:2025-03-13', detail: { value: 812, recommended: 6, planned: 4 } });
    // The default push channel (leads and up, so managers too) hears about it; a site may lower it to info.
    const notice = { kind: 'fired' as const, alert: { rule: 'payday-ahead' as const, severity: S['payday-ahead'].severity } };
    expect(routes(DEFAULT_PUSH_CHANNEL, notice as Parameters<typeof routes>[1])).toBe(true);
    expect(roleAtLeast('manager', DEFAULT_PUSH_CHANNEL.type === 'webpush' ? DEFAULT_PUSH_CHANNEL.role : 'admin')).toBe(true);
    expect(one(paydayAheadRule(input({ payday }), { ...S['payday-ahead'], severity: 'info' }))).toMatchObject({ fire: 'info' });
    expect(paydayAheadRule(input({ payday, now: payday.until }), S['payday-ahead'])).toEqual([]);
  });
});

describe('forecast gap: the next 3 h need more staff than planned or on shift', () => {
  const at = (recommended: number, planned: number | null, onShift: number) => one(forecastGapRule(input({ forecast: slots(30, recommended, planned), onShift }), S['forecast-gap']));
  it('fires on a shortfall of one, clears when the plan meets the need', () => {
    expect(at(4, 4, 2)).toMatchObject({ fire: null, hold: null, value: 0 });
    expect(at(5, 4, 2)).toMatchObject({ fire: 'warning', value: 1 });
    expect(at(5, null, 5)).toMatchObject({ fire: null }); // on shift covers the current hour
    expect(one(forecastGapRule(input({ forecast: slots(30, 5, null), onShift: 0, queue: 2 }), S['forecast-gap']))).toMatchObject({ fire: 'warning', value: 5 });
    // No plan and a floor not in use yet (nobody on shift, in a booth or waiting): nothing to compare.
    expect(forecastGapRule(input({ forecast: slots(30, 5, null), onShift: 0 }), S['forecast-gap'])).toEqual([]);
  });
});

describe('wall screen offline: no heartbeat for 2 min', () => {
  it('fires per screen at 2 minutes, forgets screens gone for a day', () => {
    const displays = [
      { id: 'd1', lastSeen: NOW - 119_000 },
      { id: 'd2', lastSeen: NOW - 120_000 },
      { id: 'd3', lastSeen: NOW - 25 * 3_600_000 },
    ];
    expect(one(wallOfflineRule(input({ displays }), S['wall-offline']))).toMatchObject({ key: 'wall-offline:d2', fire: 'warning' });
  });
});

describe('evaluateRules', () => {
  it('inhibits capacity rules while every room is closed, never the safety rules', () => {
    const closed = input({ occupied: 10, onShift: 1, queue: 12, overdoses: [NOW - MIN, NOW - 2 * MIN] });
    closed.rooms = [{ ...closed.rooms[0]!, open: false }];
    const rules = evaluateRules(closed, S).filter((s) => s.fire).map((s) => s.rule);
    expect(rules.sort()).toEqual(['overdose-cluster', 'responder-floor']);
    const open = evaluateRules({ ...closed, rooms: [{ ...closed.rooms[0]!, open: true }] }, S).filter((s) => s.fire).map((s) => s.rule);
    expect(open.sort()).toEqual(['booths-per-staff', 'occupancy', 'overdose-cluster', 'queue', 'responder-floor']);
  });
  it('skips disabled rules and words every alert in both languages', () => {
    const s = alertSettingsOf({ rules: { queue: { enabled: false } } }).rules;
    expect(evaluateRules(input({ queue: 20 }), s).some((x) => x.rule === 'queue')).toBe(false);
    expect(alertTitle('queue', { value: 7, threshold: 5 })).toBe('Queue 7 waiting (limit 5)');
    expect(alertTitle('queue', { value: 7, threshold: 5 }, 'da')).toBe('Kø: 7 venter (grænse 5)');
  });
});
