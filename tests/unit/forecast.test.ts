import { describe, expect, it } from 'vitest';
import { businessDayStart } from '../../shared/businessTime';
import { addDays, hourPosition, PaydayRules, type PaydayPosition } from '../../shared/calendar';
import { buildForecast, clockHourOccurrences, defaultHourly, forecastHourly, type History } from '../../shared/forecast';
import { DEFAULT_SESSION_MINUTES } from '../../shared/sessionModel';
import { SiteConfig } from '../../shared/siteConfig';
import { tallyCounters } from '../../server/sim/counters';
import { generate } from '../../server/sim/generator';
import { simSiteOf } from '../../server/sim/history';

// A big 24 h site, so nobody queues or walks away and intakes follow arrivals exactly.
const site = SiteConfig.parse({
  id: 'big',
  name: 'Big',
  staffingPlan: { default: 4 },
  rooms: [{ id: 'inj', name: 'Injection', kind: 'injection', booths: 40 }],
});
const PER_PLACE = 15; // 600 uses on an ordinary day

// A known profile unlike the PRODUCT.md default: busy mornings, quiet evenings.
const RAW = [2, 2, 2, 2, 2, 3, 4, 6, 8, 8, 7, 6, 6, 5, 5, 5, 4, 4, 4, 3, 3, 3, 2, 2];
const SHARE = RAW.map((x) => (100 * x) / RAW.reduce((a, b) => a + b, 0));
const MULT: Record<PaydayPosition, number> = { payday: 1.8, after1: 1.4, after2: 1.2, payment: 1.1, before: 0.85, other: 1 };

/** Simulated history of `of` from `from` up to `to` (exclusive), as the counter hashes would hold it. */
function simulatedHistory(of: SiteConfig, from: string, to: string, perPlace = PER_PLACE): History {
  const events = generate({
    site: simSiteOf(of),
    seed: 42,
    scenario: 'normal',
    start: businessDayStart(from, of.timeZone, 6),
    until: businessDayStart(to, of.timeZone, 6),
    usesPerPlaceDay: perPlace,
    hourlyShare: SHARE,
    multipliers: MULT,
    redoseChance: 0,
  });
  const tally = tallyCounters(events, of);
  const history: History = {};
  for (const [date, f] of tally.days) {
    history[date] = {
      intakes: f.intakes ?? 0,
      checkouts: f.checkouts ?? 0,
      sessionMs: f.sessionMs ?? 0,
      hourly: Array.from({ length: 24 }, (_, h) => tally.hours.get(`${date}:${String(h).padStart(2, '0')}`)?.intakes ?? 0),
    };
  }
  return history;
}

/** The true expectation per clock hour: each hour at its own payday position. */
const truth = (date: string) => {
  const occ = clockHourOccurrences(date, site.timeZone, 6);
  return SHARE.map((s, h) => (PER_PLACE * 40 * s * MULT[hourPosition(date, h, 6)] * occ[h]!) / 100);
};

const skyen = SiteConfig.parse({
  id: 'skyen',
  name: 'Skyen',
  rooms: [
    { id: 'inj', name: 'I', kind: 'injection', booths: 9 },
    { id: 'smk', name: 'S', kind: 'inhalation', booths: 8 },
  ],
});

/** A tidy history: every day exactly the PRODUCT.md default for the site (hourly and totals). */
function defaultHistory(of: SiteConfig, from: string, to: string): History {
  const out: History = {};
  for (let d = from; d < to; d = addDays(d, 1)) {
    const hourly = defaultHourly(of, d).map((x) => Math.round(x));
    out[d] = { intakes: hourly.reduce((a, b) => a + b, 0), checkouts: 0, sessionMs: 0, hourly };
  }
  return out;
}

describe('forecast', () => {
  const TARGET_FROM = '2026-06-01';
  const history = simulatedHistory(site, addDays(TARGET_FROM, -120), TARGET_FROM);

  it('recovers a known hourly profile on ordinary days (MAPE per hour < 15 %)', () => {
    // The week after the history ends: each weekday once, all ordinary days.
    const days = Array.from({ length: 7 }, (_, i) => addDays(TARGET_FROM, i));
    let worst = 0;
    for (const date of days) {
      const f = buildForecast(site, date, history, { today: TARGET_FROM });
      expect(f.historyDays).toBe(8);
      const want = truth(date);
      const errs = f.hours.map((h) => Math.abs(h.expectedIntakes - want[h.hour]!) / want[h.hour]!);
      const mape = errs.reduce((a, b) => a + b, 0) / errs.length;
      expect(mape, `MAPE on ${date}`).toBeLessThan(0.15);
      worst = Math.max(worst, mape);
    }
    console.log(`forecast recovery: worst per-hour MAPE over ${days.length} days = ${(worst * 100).toFixed(1)} %`);
  });

  it('learns the payday multipliers within 10 %, payment days apart from paydays', () => {
    const m = forecastHourly(site, '2026-06-30', history, TARGET_FROM).multipliers;
    console.log(`learnt multipliers: ${JSON.stringify(m)} (true ${JSON.stringify(MULT)})`);
    expect(Math.abs(m.payday - MULT.payday) / MULT.payday).toBeLessThan(0.1);
    expect(Math.abs(m.after1 - MULT.after1) / MULT.after1).toBeLessThan(0.1);
    // 2026-04-20 (børneydelse) lies in the history: its weight is its own, not a payday's.
    expect(hourPosition('2026-04-20', 12, 6)).toBe('payment');
    expect(Math.abs(m.payment - MULT.payment) / MULT.payment).toBeLessThan(0.15);
    // And the payday forecast's day total follows it (06:00 payday → 06:00 the day after).
    const f = buildForecast(site, '2026-06-30', history, { today: TARGET_FROM });
    expect(f.position).toBe('payday');
    const want = truth('2026-06-30').reduce((a, b) => a + b, 0);
    expect(Math.abs(f.expectedTotal - want) / want).toBeLessThan(0.1);
  });

  it('measures the mean session time from check-outs', () => {
    const f = buildForecast(site, TARGET_FROM, history, { today: TARGET_FROM });
    // Injection sessions: lognormal median 18 ended at 30 (mean 18.9, the same figure as the default).
    expect(f.meanSessionMinutes).toBeGreaterThan(18);
    expect(f.meanSessionMinutes).toBeLessThan(19.8);
    expect(Math.abs(f.meanSessionMinutes - DEFAULT_SESSION_MINUTES.injection)).toBeLessThan(0.6);
  });

  it('without history returns the default profile scaled to the site', () => {
    const f = buildForecast(skyen, '2026-06-10', {});
    expect(f.historyDays).toBe(0);
    expect(f.position).toBe('other');
    expect(f.expectedTotal).toBeCloseTo(600, 0);
    const byHour = Object.fromEntries(f.hours.map((h) => [h.hour, h.expectedIntakes]));
    expect(byHour[8]).toBeCloseTo(15, 1); // 2.5 % of 600
    expect(byHour[20]).toBeCloseTo(36, 1); // 6 %
    expect(f.meanSessionMinutes).toBeCloseTo((9 * DEFAULT_SESSION_MINUTES.injection + 8 * DEFAULT_SESSION_MINUTES.inhalation) / 17, 1);
    // A daytime site expects nothing while closed, and less in the half-open hour.
    const h17 = SiteConfig.parse({
      id: 'h17',
      name: 'H17',
      rooms: [{ id: 'inj', name: 'I', kind: 'injection', booths: 6, openingHours: [{ open: '07:30', close: '23:30' }] }],
    });
    const d = defaultHourly(h17, '2026-06-10');
    expect(d[3]).toBe(0);
    expect(d[7]).toBeCloseTo((600 / 17) * 0.025 * 6 * 0.5, 6);
    // Payday is 1.5 × an ordinary day by default; its business day ends at 06:00 on the 1st,
    // whose small hours are "after1" (×1.3), while the payday's own small hours sit in the day before.
    // 06–24 holds 79 % of a day's uses, 00–06 the other 21 %.
    expect(buildForecast(skyen, '2026-06-30', {}).expectedTotal).toBeCloseTo(600 * (1.5 * 0.79 + 1.3 * 0.21), 0);
  });

  it('recommends staff and flags hours where the plan is short', () => {
    const f = buildForecast(site, '2026-06-30', history, { today: TARGET_FROM }); // payday
    const peak = f.hours.reduce((a, b) => (b.expectedIntakes > a.expectedIntakes ? b : a));
    expect(peak.boothsNeeded).toBeGreaterThan(peak.expectedOccupied);
    expect(peak.recommendedStaff).toBeGreaterThan(4);
    expect(peak.plannedStaff).toBe(4);
    expect(peak.flag).toBe('short');
    const quiet = f.hours.reduce((a, b) => (b.expectedIntakes < a.expectedIntakes ? b : a));
    expect(quiet.recommendedStaff).toBeLessThanOrEqual(peak.recommendedStaff);
  });
});

describe('forecast learns from complete days only (issue 14)', () => {
  // Eight weeks of ordinary Skyen days, then today — Sunday 2026-06-07 — still running: the
  // demo once piled a whole day's traffic, 608 intakes, into its 20:00 hour.
  const TODAY = '2026-06-07';
  const NEXT_SUNDAY = '2026-06-14';
  const clean = defaultHistory(skyen, addDays(TODAY, -56), TODAY);
  const polluted: History = { ...clean, [TODAY]: { intakes: 608, checkouts: 600, sessionMs: 600 * 14_000, hourly: Array.from({ length: 24 }, (_, h) => (h === 20 ? 608 : 0)) } };
  const at20 = (f: ReturnType<typeof buildForecast>) => f.hours.find((h) => h.hour === 20)!;

  it("leaves today's unfinished day out: next Sunday 20:00 stays near 36, not 110", () => {
    const f = buildForecast(skyen, NEXT_SUNDAY, polluted, { today: TODAY });
    expect(at20(f).expectedIntakes).toBeGreaterThan(32);
    expect(at20(f).expectedIntakes).toBeLessThan(40);
    expect(at20(f).boothsNeeded).toBeLessThanOrEqual(17);
    expect(f.excluded).toEqual([{ date: TODAY, reason: 'unfinished' }]);
    // What the unfinished day did when it was learnt from: the hour near tripled, and its
    // 14-second "sessions" dragged the mean session time down.
    const wrong = buildForecast(skyen, NEXT_SUNDAY, polluted);
    expect(at20(wrong).expectedIntakes).toBeGreaterThan(80);
    expect(wrong.meanSessionMinutes).toBeLessThan(10);
    // Its session times (0.23 min a session) do not count either.
    expect(f.meanSessionMinutes).toBeCloseTo(buildForecast(skyen, NEXT_SUNDAY, clean, { today: TODAY }).meanSessionMinutes, 6);
  });

  it('leaves out days flagged as data gaps and days the site was closed', () => {
    const gapDay = addDays(TODAY, -7);
    const withGap: History = { ...clean, [gapDay]: { ...clean[gapDay]!, intakes: 40, hourly: clean[gapDay]!.hourly!.map((x, h) => (h < 8 ? x : 0)), gap: true } };
    const f = buildForecast(skyen, NEXT_SUNDAY, withGap, { today: TODAY });
    expect(f.excluded).toEqual([{ date: gapDay, reason: 'gap' }]);
    expect(at20(f).expectedIntakes).toBeCloseTo(at20(buildForecast(skyen, NEXT_SUNDAY, clean, { today: TODAY })).expectedIntakes, 0);
    // A weekday-only site with a stray Sunday in its counters: the Sunday is a closed day.
    const weekdays = SiteConfig.parse({ ...skyen, rooms: skyen.rooms.map((r) => ({ ...r, openingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], open: '07:00', close: '23:00' }] })) });
    const g = buildForecast(weekdays, '2026-06-12', clean, { today: TODAY });
    const closed = g.excluded.filter((e) => e.reason === 'closed').map((e) => e.date);
    expect(closed.length).toBe(8); // the eight Sundays in the window
    expect(closed.every((d) => new Date(`${d}T12:00:00Z`).getUTCDay() === 0)).toBe(true);
  });
});

describe('part hours: rates and capacity over the open part of the hour (issue 14)', () => {
  it('an hour opening at 07:45 with 1.3 expected intakes is not over capacity', () => {
    const early = SiteConfig.parse({ id: 'early', name: 'Early', rooms: [{ id: 'inj', name: 'I', kind: 'injection', booths: 6, openingHours: [{ open: '07:45', close: '22:00' }] }] });
    const h = buildForecast(early, '2026-06-10', {}).hours.find((x) => x.hour === 7)!;
    expect(h.expectedIntakes).toBeCloseTo(1.3, 1);
    expect(h.openMinutes).toBe(15);
    expect(h.openBooths).toBeCloseTo(1.5, 6); // place-hours: the old, fractional capacity
    // 1.3 arrivals in 15 minutes is 5.2 an hour against all 6 places: fine.
    expect(h.boothsNeeded).toBeLessThanOrEqual(6);
    expect(h.flag).toBe('ok');
  });

  it('H17 at 23:00 on payday is not flagged, its busy evening still is', () => {
    const h17 = SiteConfig.parse({
      id: 'h17',
      name: 'H17',
      rooms: [
        { id: 'inj', name: 'I', kind: 'injection', booths: 6, openingHours: [{ open: '07:30', close: '23:30' }] },
        { id: 'smk', name: 'S', kind: 'inhalation', booths: 6, openingHours: [{ open: '07:30', close: '23:30' }] },
      ],
    });
    const f = buildForecast(h17, '2026-11-30', {});
    expect(f.position).toBe('payday');
    const h23 = f.hours.find((x) => x.hour === 23)!;
    expect(h23.openMinutes).toBe(30);
    expect(h23.flag).toBe('ok');
    expect(h23.boothsNeeded).toBeLessThanOrEqual(12);
    // 38 an hour at 18:00 on payday really is more than 12 places can take within 5 minutes' wait.
    expect(f.hours.find((x) => x.hour === 18)!.flag).toBe('over_capacity');
  });
});

describe('payday night: an hour takes the position of its own calendar date (issue 14)', () => {
  it('puts 00:00–06:00 on payday at payday volume although it belongs to the day before', () => {
    // Monday 30 November 2026 is payday; business day 29 November runs to 06:00 on the 30th.
    const f = buildForecast(skyen, '2026-11-29', {});
    expect(f.position).toBe('before');
    const byHour = new Map(f.hours.map((h) => [h.hour, h]));
    expect(byHour.get(23)!.position).toBe('before');
    for (const h of [0, 1, 2, 3, 4, 5]) expect(byHour.get(h)!.position).toBe('payday');
    // 4.5 % of 600 at ×1.5 against ×0.9: the first rush after the money lands is 1.67× the old figure.
    expect(byHour.get(0)!.expectedIntakes).toBeCloseTo(40.5, 1);
    expect(byHour.get(0)!.expectedIntakes / byHour.get(23)!.expectedIntakes).toBeCloseTo(1.5 / 0.9, 2);
  });

  it('honours a later money-arrives hour', () => {
    const late = SiteConfig.parse({ ...skyen, paydays: PaydayRules.parse({ moneyArrivesHour: 3 }) });
    const byHour = new Map(buildForecast(late, '2026-11-29', {}).hours.map((h) => [h.hour, h.position]));
    expect([0, 1, 2].map((h) => byHour.get(h))).toEqual(['before', 'before', 'before']);
    expect([3, 4, 5].map((h) => byHour.get(h))).toEqual(['payday', 'payday', 'payday']);
  });
});
