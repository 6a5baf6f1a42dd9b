import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { hourStart } from '../../shared/alerts/hours';
import { isIsoDate, zonedEpoch, zonedParts } from '../../shared/zonedTime';

// Zones whose rules are unkind: ±1 h DST both hemispheres, a 30-minute DST (Lord Howe), odd
// offsets (St John's −3:30, Chatham +12:45, Kolkata +5:30), a DST that ended for good
// (Tehran, 2022), and none at all.
const ZONES = [
  'Europe/Copenhagen',
  'America/New_York',
  'America/Santiago',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'Asia/Tehran',
  'UTC',
];
const DAY = 86_400_000;

/** Temporal's answer, the reference: 'compatible' disambiguation. */
const temporalEpoch = (date: string, minute: number, timeZone: string): number =>
  Temporal.PlainDate.from(date)
    .toZonedDateTime({ timeZone, plainTime: new Temporal.PlainTime(Math.floor(minute / 60), minute % 60) })
    .epochMilliseconds;

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Dates (UTC calendar) on which the zone's offset at noon UTC differs from the day before's: its changes. */
function changeDays(timeZone: string, from: string, days: number): string[] {
  const out: string[] = [];
  const offset = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone).offsetNanoseconds;
  let t = Date.parse(`${from}T12:00:00Z`);
  let last = offset(t);
  for (let i = 0; i < days; i++, t += DAY) {
    const o = offset(t + DAY);
    if (o !== last) out.push(isoDate(t), isoDate(t + DAY));
    last = o;
  }
  return out;
}

describe('site wall clock from Intl, against Temporal', () => {
  it.each(ZONES)('%s: every quarter hour of the days around each offset change 2021–2027 reads back as Temporal says', (zone) => {
    const days = changeDays(zone, '2021-01-01', 7 * 365);
    if (!['UTC', 'Asia/Kolkata'].includes(zone)) expect(days.length).toBeGreaterThan(0);
    for (const date of days) {
      for (let minute = 0; minute < 24 * 60; minute += 15) {
        const ours = zonedEpoch(date, minute, zone);
        expect(ours, `${zone} ${date} minute ${minute}`).toBe(temporalEpoch(date, minute, zone));
        // And back: the instant's wall clock is Temporal's too (around the change, every 15 min).
        const z = Temporal.Instant.fromEpochMilliseconds(ours).toZonedDateTimeISO(zone);
        expect(zonedParts(ours, zone)).toEqual({ date: z.toPlainDate().toString(), hour: z.hour, minute: z.minute, second: z.second });
        // The start of the local hour seven and a half minutes later (the alert engine's hour buckets).
        const later = ours + 450_000;
        const hour = Temporal.Instant.fromEpochMilliseconds(later).toZonedDateTimeISO(zone).round({ smallestUnit: 'hour', roundingMode: 'floor' });
        expect(hourStart(later, zone), `${zone} hourStart ${new Date(later).toISOString()}`).toBe(hour.epochMilliseconds);
      }
    }
  });

  it.each(ZONES)('%s: a spread of ordinary days and instants agrees with Temporal', (zone) => {
    // Deterministic spread (no randomness): every 37th day from 2020 on, at minutes that walk the day.
    for (let i = 0, t = Date.parse('2020-01-03T00:00:00Z'); i < 120; i++, t += 37 * DAY + 7 * 60_000 * 61) {
      const date = isoDate(t);
      const minute = (i * 97) % 1440;
      expect(zonedEpoch(date, minute, zone), `${zone} ${date} ${minute}`).toBe(temporalEpoch(date, minute, zone));
      const z = Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(zone);
      expect(zonedParts(t, zone)).toEqual({ date: z.toPlainDate().toString(), hour: z.hour, minute: z.minute, second: z.second });
    }
  });

  it('reads a skipped time as the moment after the gap, and a repeated one as its first occurrence (Copenhagen 2026)', () => {
    const cph = 'Europe/Copenhagen';
    // 29 March: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist and counts as 03:30 CEST.
    expect(new Date(zonedEpoch('2026-03-29', 150, cph)).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(new Date(zonedEpoch('2026-03-29', 180, cph)).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    // 25 October: 02:30 happens twice; the first is 02:30 CEST.
    expect(new Date(zonedEpoch('2026-10-25', 150, cph)).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    // Minutes past midnight run into the next day.
    expect(new Date(zonedEpoch('2026-06-15', 24 * 60 + 30, cph)).toISOString()).toBe('2026-06-15T22:30:00.000Z');
  });

  it('refuses what is not a calendar date', () => {
    expect(() => zonedEpoch('2026-02-30', 0, 'UTC')).toThrow(RangeError);
    expect(() => zonedEpoch('30/02/2026', 0, 'UTC')).toThrow(RangeError);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('0050-01-01')).toBe(true);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-2-3')).toBe(false);
  });

  it('keeps years below 100 as they are written', () => {
    expect(zonedEpoch('0050-06-01', 0, 'UTC')).toBe(temporalEpoch('0050-06-01', 0, 'UTC'));
  });
});
