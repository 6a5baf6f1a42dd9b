import { describe, expect, it } from 'vitest';
import { businessDayHours, businessDayStart, businessHourOrder, businessSlot } from '../../shared/businessTime';

const CPH = 'Europe/Copenhagen';

describe('business dates', () => {
  it.each([
    ['2026-06-15T03:59:59Z', '2026-06-14', 5], // 05:59:59 CEST: still the previous business day
    ['2026-06-15T04:00:00Z', '2026-06-15', 6], // 06:00 CEST: the new day starts
    ['2026-06-15T21:59:00Z', '2026-06-15', 23],
    ['2026-06-15T22:00:00Z', '2026-06-15', 0], // midnight: same business day
    ['2026-01-15T04:59:00Z', '2026-01-14', 5], // winter: 05:59 CET
    ['2026-01-15T05:00:00Z', '2026-01-15', 6],
  ])('%s is business date %s, hour %i in Copenhagen', (instant, date, hour) => {
    expect(businessSlot(Date.parse(instant), CPH, 6)).toEqual({ date, hour });
  });

  it('honours another start hour and zone', () => {
    expect(businessSlot(Date.parse('2026-06-15T08:30:00Z'), 'America/New_York', 5)).toEqual({ date: '2026-06-14', hour: 4 });
    expect(businessSlot(Date.parse('2026-06-15T08:30:00Z'), 'America/New_York', 4)).toEqual({ date: '2026-06-15', hour: 4 });
    expect(businessSlot(Date.parse('2026-06-15T23:30:00Z'), CPH, 0)).toEqual({ date: '2026-06-16', hour: 1 });
  });

  it('has 23 hours on the spring DST day (29 March 2026)', () => {
    // Business day 28 March 06:00 CET → 29 March 06:00 CEST contains the 02:00 → 03:00 jump.
    expect(businessDayHours('2026-03-28', CPH, 6)).toBe(23);
    expect(businessDayHours('2026-03-29', CPH, 6)).toBe(24);
    // with a midnight start the short day is the calendar day itself
    expect(businessDayHours('2026-03-29', CPH, 0)).toBe(23);
    // 01:30Z on 29 March is 03:30 CEST: hour 2 does not exist that night
    expect(businessSlot(Date.parse('2026-03-29T00:59:00Z'), CPH, 6)).toEqual({ date: '2026-03-28', hour: 1 });
    expect(businessSlot(Date.parse('2026-03-29T01:00:00Z'), CPH, 6)).toEqual({ date: '2026-03-28', hour: 3 });
  });

  it('has 25 hours on the autumn DST day (25 October 2026), the 02:00 hour twice', () => {
    expect(businessDayHours('2026-10-24', CPH, 6)).toBe(25);
    expect(businessDayHours('2026-10-25', CPH, 0)).toBe(25);
    expect(businessSlot(Date.parse('2026-10-25T00:30:00Z'), CPH, 6)).toEqual({ date: '2026-10-24', hour: 2 });
    expect(businessSlot(Date.parse('2026-10-25T01:30:00Z'), CPH, 6)).toEqual({ date: '2026-10-24', hour: 2 });
    expect(businessSlot(Date.parse('2026-10-25T04:59:00Z'), CPH, 6)).toEqual({ date: '2026-10-24', hour: 5 });
    expect(businessSlot(Date.parse('2026-10-25T05:00:00Z'), CPH, 6)).toEqual({ date: '2026-10-25', hour: 6 });
  });

  it('finds the start instant of a business day', () => {
    expect(new Date(businessDayStart('2026-06-15', CPH, 6)).toISOString()).toBe('2026-06-15T04:00:00.000Z');
    expect(new Date(businessDayStart('2026-01-15', CPH, 6)).toISOString()).toBe('2026-01-15T05:00:00.000Z');
  });

  it('orders the hours from the start hour', () => {
    expect(businessHourOrder(6).slice(0, 3)).toEqual([6, 7, 8]);
    expect(businessHourOrder(6).at(-1)).toBe(5);
  });
});
