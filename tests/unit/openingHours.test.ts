import { describe, expect, it } from 'vitest';
import { isRoomOpenOn, openFractionOn, roomStatusAt, roomStatuses, scheduleOpenAt, windowsOn, type RoomSchedule } from '../../shared/openingHours';
import { RoomConfig } from '../../shared/siteConfig';

const TZ = 'Europe/Copenhagen';
const at = (iso: string) => Date.parse(iso);
const h17: RoomSchedule & { id: string } = {
  id: 'inj',
  openingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], open: '07:30', close: '23:30' }],
  datedHours: [
    { from: '2026-12-24', to: '2026-12-24', hours: 'closed', label: 'Juleaften' },
    { from: '2026-06-01', to: '2026-08-31', hours: [{ open: '10:00', close: '18:00' }], label: 'Ombygning' },
  ],
};
const night: RoomSchedule & { id: string } = { id: 'night', openingHours: [{ days: ['fri', 'sat'], open: '22:00', close: '06:00' }] };
const allDay: RoomSchedule & { id: string } = { id: 'all', openingHours: '24h', datedHours: [{ from: '2026-12-24', to: '2026-12-26', hours: 'closed' }] };

describe('a room\'s real hours: weekly pattern with dated closures and temporary hours', () => {
  it('replaces the weekly pattern on dated entries: a closure, temporary hours', () => {
    expect(windowsOn(h17, '2026-12-23')).toEqual([[450, 1410]]);
    expect(windowsOn(h17, '2026-12-24')).toEqual([]);
    expect(windowsOn(h17, '2026-07-01')).toEqual([[600, 1080]]);
    expect(isRoomOpenOn(h17, '2026-12-24', 12 * 60)).toBe(false);
    expect(isRoomOpenOn(h17, '2026-07-01', 9 * 60)).toBe(false);
    expect(isRoomOpenOn(h17, '2026-07-01', 17 * 60 + 59)).toBe(true);
    expect(openFractionOn(h17, '2026-07-01', 10)).toBe(1);
    expect(openFractionOn(h17, '2026-03-10', 7)).toBe(0.5);
    expect(openFractionOn(h17, '2026-12-24', 12)).toBe(0);
  });

  it('lets a night run past midnight into the next date, and belongs to the date it began on', () => {
    expect(isRoomOpenOn(night, '2026-03-13', 23 * 60)).toBe(true); // Friday night
    expect(isRoomOpenOn(night, '2026-03-14', 3 * 60)).toBe(true); // …into Saturday morning
    expect(isRoomOpenOn(night, '2026-03-16', 3 * 60)).toBe(false); // Monday morning: Sunday has no window
    // A closure of the 24th still lets the 23rd's window run; a 24 h room closes at midnight.
    const late: RoomSchedule = { openingHours: [{ days: ['wed', 'thu'], open: '20:00', close: '02:00' }], datedHours: [{ from: '2026-12-24', to: '2026-12-24', hours: 'closed' }] };
    expect(isRoomOpenOn(late, '2026-12-24', 60)).toBe(true);
    expect(isRoomOpenOn(late, '2026-12-24', 21 * 60)).toBe(false);
    expect(isRoomOpenOn(allDay, '2026-12-24', 0)).toBe(false);
  });

  it('says open or closed now, and until or from when, as instants', () => {
    expect(roomStatusAt(h17, TZ, at('2026-03-10T21:00:00Z'))).toEqual({ id: 'inj', open: true, closesAt: '2026-03-10T22:30:00.000Z' });
    expect(roomStatusAt(h17, TZ, at('2026-03-10T22:30:00Z'))).toEqual({ id: 'inj', open: false, opensAt: '2026-03-11T06:30:00.000Z' });
    expect(roomStatusAt(h17, TZ, at('2026-12-23T23:00:00Z'))).toEqual({ id: 'inj', open: false, opensAt: '2026-12-25T06:30:00.000Z' });
    expect(roomStatusAt(allDay, TZ, at('2026-12-20T12:00:00Z'))).toEqual({ id: 'all', open: true, closesAt: '2026-12-23T23:00:00.000Z' });
    expect(roomStatusAt(allDay, TZ, at('2026-12-25T12:00:00Z'))).toEqual({ id: 'all', open: false, opensAt: '2026-12-26T23:00:00.000Z' });
    // Round the clock with no closure within a week: no closing time.
    expect(roomStatusAt(allDay, TZ, at('2026-03-10T12:00:00Z'))).toEqual({ id: 'all', open: true });
    // A long rebuild: the next opening may be months away.
    const rebuild: RoomSchedule & { id: string } = { id: 'r', openingHours: '24h', datedHours: [{ from: '2026-01-01', to: '2026-04-30', hours: 'closed' }] };
    expect(roomStatusAt(rebuild, TZ, at('2026-02-01T12:00:00Z'))).toEqual({ id: 'r', open: false, opensAt: '2026-04-30T22:00:00.000Z' });
  });

  it('counts the right instants across DST changes', () => {
    // Spring: the night of 29 March 2026 loses 02:00–03:00; a window closing 06:00 closes at 04:00Z.
    expect(roomStatusAt(night, TZ, at('2026-03-28T22:00:00Z'))).toEqual({ id: 'night', open: true, closesAt: '2026-03-29T04:00:00.000Z' });
    // Autumn: the night of 25 October 2026 has two 02:00s; 06:00 local is 05:00Z.
    expect(roomStatusAt(night, TZ, at('2026-10-24T22:00:00Z'))).toEqual({ id: 'night', open: true, closesAt: '2026-10-25T05:00:00.000Z' });
    expect(scheduleOpenAt(night, TZ, at('2026-10-25T01:30:00Z'))).toBe(true);
  });

  it('adds a lead\'s early opening until it runs out, and merges it with the hours that follow', () => {
    const now = at('2026-03-11T05:00:00Z'); // 06:00, opens 07:30
    const early = { until: '2026-03-11T07:00:00.000Z', by: 'Lead' };
    expect(roomStatusAt(h17, TZ, now, early)).toEqual({ id: 'inj', open: true, closesAt: '2026-03-11T22:30:00.000Z', openedEarly: early });
    const short = { until: '2026-03-11T05:30:00.000Z', by: 'Lead' };
    expect(roomStatusAt(h17, TZ, now, short)).toEqual({ id: 'inj', open: true, closesAt: short.until, openedEarly: short });
    expect(roomStatusAt(h17, TZ, at('2026-03-11T05:31:00Z'), short)).toEqual({ id: 'inj', open: false, opensAt: '2026-03-11T06:30:00.000Z' });
    expect(roomStatuses([h17, allDay], TZ, now, { inj: short }).map((r) => r.open)).toEqual([true, true]);
  });

  it('is checked in the settings schema: dates, order, overlaps', () => {
    const room = (datedHours: unknown) => RoomConfig.safeParse({ id: 'inj', name: 'I', kind: 'injection', booths: 2, datedHours });
    expect(room([{ from: '2026-12-24', to: '2026-12-26', hours: 'closed', label: 'Jul' }]).success).toBe(true);
    const paths = (r: ReturnType<typeof room>) => (r.success ? [] : r.error.issues.map((i) => i.path.join('.')));
    expect(paths(room([{ from: '2026-12-26', to: '2026-12-24', hours: 'closed' }]))).toEqual(['datedHours.0.to']);
    expect(paths(room([{ from: '2026-02-30x', to: '2026-03-01', hours: 'closed' }]))).toEqual(['datedHours.0.from']);
    expect(paths(room([{ from: '2026-12-24', to: '2026-12-24', hours: [{ open: '25:00', close: '10:00' }] }]))).toEqual(['datedHours.0.hours.0.open']);
    expect(paths(room([{ from: '2026-12-24', to: '2026-12-24', hours: 'closed', label: 'x'.repeat(61) }]))).toEqual(['datedHours.0.label']);
    expect(paths(room([
      { from: '2026-12-20', to: '2026-12-24', hours: 'closed' },
      { from: '2026-12-24', to: '2026-12-26', hours: '24h' },
    ]))).toEqual(['datedHours.1.from']);
  });
});
