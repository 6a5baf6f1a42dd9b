import { describe, expect, it } from 'vitest';
import { businessDayStart } from '../../shared/businessTime';
import { addDays, daysFromPayday, type PaydayPosition } from '../../shared/calendar';
import { buildForecast, clockHourOccurrences, defaultHourly, type History, learnMultipliers } from '../../shared/forecast';
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
const MULT: Record<PaydayPosition, number> = { payday: 1.8, after1: 1.4, after2: 1.2, before: 0.85, other: 1 };

/** Simulated history from `from` up to `to` (exclusive), as the counter hashes would hold it. */
function simulatedHistory(from: string, to: string): History {
  const events = generate({
    site: simSiteOf(site),
    seed: 42,
    scenario: 'normal',
    start: businessDayStart(from, site.timeZone, 6),
    until: businessDayStart(to, site.timeZone, 6),
    usesPerPlaceDay: PER_PLACE,
    hourlyShare: SHARE,
    multipliers: MULT,
    redoseChance: 0,
  });
  const tally = tallyCounters(events, site);
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

const truth = (date: string) => {
  const occ = clockHourOccurrences(date, site.timeZone, 6);
  return SHARE.map((s, h) => (PER_PLACE * 40 * s * MULT[daysFromPayday(date)] * occ[h]!) / 100);
};

describe('forecast', () => {
  const TARGET_FROM = '2026-06-01';
  const history = simulatedHistory(addDays(TARGET_FROM, -120), TARGET_FROM);

  it('recovers a known hourly profile on ordinary days (MAPE per hour < 15 %)', () => {
    // The week after the history ends: each weekday once, all ordinary days.
    const days = Array.from({ length: 7 }, (_, i) => addDays(TARGET_FROM, i)).filter((d) => daysFromPayday(d) === 'other');
    expect(days.length).toBe(7);
    let worst = 0;
    for (const date of days) {
      const f = buildForecast(site, date, history);
      expect(f.historyDays).toBe(8);
      const want = truth(date);
      const errs = f.hours.map((h) => Math.abs(h.expectedIntakes - want[h.hour]!) / want[h.hour]!);
      const mape = errs.reduce((a, b) => a + b, 0) / errs.length;
      expect(mape, `MAPE on ${date}`).toBeLessThan(0.15);
      worst = Math.max(worst, mape);
    }
    console.log(`forecast recovery: worst per-hour MAPE over ${days.length} days = ${(worst * 100).toFixed(1)} %`);
  });

  it('learns the payday multiplier within 10 %', () => {
    const m = learnMultipliers(Object.fromEntries(Object.entries(history)), undefined);
    console.log(`learnt multipliers: ${JSON.stringify(m)} (true ${JSON.stringify(MULT)})`);
    expect(Math.abs(m.payday - MULT.payday) / MULT.payday).toBeLessThan(0.1);
    expect(Math.abs(m.after1 - MULT.after1) / MULT.after1).toBeLessThan(0.1);
    // And the payday forecast's day total follows it.
    const f = buildForecast(site, '2026-06-30', history);
    expect(f.position).toBe('payday');
    expect(Math.abs(f.expectedTotal - 600 * MULT.payday) / (600 * MULT.payday)).toBeLessThan(0.1);
  });

  it('measures the mean session time from check-outs', () => {
    const f = buildForecast(site, TARGET_FROM, history);
    // Injection sessions: lognormal median 15, capped at 30 (mean a little over 17).
    expect(f.meanSessionMinutes).toBeGreaterThan(15);
    expect(f.meanSessionMinutes).toBeLessThan(20);
  });

  it('without history returns the default profile scaled to the site', () => {
    const skyen = SiteConfig.parse({
      id: 'skyen',
      name: 'Skyen',
      rooms: [
        { id: 'inj', name: 'I', kind: 'injection', booths: 9 },
        { id: 'smk', name: 'S', kind: 'inhalation', booths: 8 },
      ],
    });
    const f = buildForecast(skyen, '2026-06-10', {});
    expect(f.historyDays).toBe(0);
    expect(f.position).toBe('other');
    expect(f.expectedTotal).toBeCloseTo(600, 0);
    const byHour = Object.fromEntries(f.hours.map((h) => [h.hour, h.expectedIntakes]));
    expect(byHour[8]).toBeCloseTo(15, 1); // 2.5 % of 600
    expect(byHour[20]).toBeCloseTo(36, 1); // 6 %
    expect(f.meanSessionMinutes).toBeCloseTo((9 * 20 + 8 * 12) / 17, 1);
    // A daytime site expects nothing while closed, and less in the half-open hour.
    const h17 = SiteConfig.parse({
      id: 'h17',
      name: 'H17',
      rooms: [{ id: 'inj', name: 'I', kind: 'injection', booths: 6, openingHours: [{ open: '07:30', close: '23:30' }] }],
    });
    const d = defaultHourly(h17, '2026-06-10');
    expect(d[3]).toBe(0);
    expect(d[7]).toBeCloseTo((600 / 17) * 0.025 * 6 * 0.5, 6);
    // Payday is 1.5 × an ordinary day by default.
    expect(buildForecast(skyen, '2026-06-30', {}).expectedTotal).toBeCloseTo(900, 0);
  });

  it('recommends staff and flags hours where the plan is short', () => {
    const f = buildForecast(site, '2026-06-30', history); // payday: 1,080 expected
    const peak = f.hours.reduce((a, b) => (b.expectedIntakes > a.expectedIntakes ? b : a));
    expect(peak.boothsNeeded).toBeGreaterThan(peak.expectedOccupied);
    expect(peak.recommendedStaff).toBeGreaterThan(4);
    expect(peak.plannedStaff).toBe(4);
    expect(peak.flag).toBe('short');
    const quiet = f.hours.reduce((a, b) => (b.expectedIntakes < a.expectedIntakes ? b : a));
    expect(quiet.recommendedStaff).toBeLessThanOrEqual(peak.recommendedStaff);
  });
});
