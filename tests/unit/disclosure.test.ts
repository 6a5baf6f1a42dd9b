import { describe, expect, it } from 'vitest';
import type { DayCounters } from '../../shared/api';
import { businessDayStart } from '../../shared/businessTime';
import { countersFromFields } from '../../shared/counters';
import { datesBetween, reportTable, suppress, WITHHELD } from '../../shared/history';
import { SiteConfig } from '../../shared/siteConfig';
import { tallyCounters } from '../../server/sim/counters';
import { generate } from '../../server/sim/generator';
import { simSiteOf } from '../../server/sim/history';
import { attackTable } from '../support/disclosureAttack';

/** A simulated month of a site's day counters, as the store would hold them. */
function month(site: SiteConfig, from: string, to: string, seed: number, usesPerPlaceDay?: number): Array<{ date: string; counters: DayCounters }> {
  const events = generate({
    site: simSiteOf(site),
    seed,
    scenario: 'normal',
    start: businessDayStart(from, site.timeZone, site.businessDayStart),
    until: businessDayStart(datesBetween(from, to).length > 0 ? addDay(to) : to, site.timeZone, site.businessDayStart),
    drain: true,
    ...(usesPerPlaceDay ? { usesPerPlaceDay } : {}),
  });
  const tally = tallyCounters(events, site);
  return datesBetween(from, to).map((date) => ({
    date,
    counters: countersFromFields(Object.fromEntries(Object.entries(tally.days.get(date) ?? {}).map(([k, v]) => [k, String(v)]))),
  }));
}
const addDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const skyen = SiteConfig.parse({
  id: 'skyen',
  name: 'Skyen',
  rooms: [
    { id: 'inj', name: 'Injektion', kind: 'injection', booths: 9 },
    { id: 'smk', name: 'Rygning', kind: 'inhalation', booths: 8 },
  ],
});

/** The old export: every count 1 … N − 1 as `<N`, nothing else hidden. */
const primaryOnly = (days: Array<{ date: string; counters: DayCounters }>, below: number) =>
  reportTable(days).map((row, r) => (r === 0 ? row : row.map((cell, c) => (c === 0 || !/^\d+$/.test(cell) ? cell : suppress(Number(cell), below)))));

describe('report disclosure control: no suppressed cell can be worked out (issue 14)', () => {
  // October 2026 at a Skyen-sized site; on the 4th, 8 intakes of other opioids.
  const october = month(skyen, '2026-10-01', '2026-10-31', 7);
  const day4 = october.find((d) => d.date === '2026-10-04')!.counters;
  const moved = day4.bySubstance.opioid_other - 8;
  day4.bySubstance.opioid_other = 8;
  day4.bySubstance.cocaine += moved; // intakes and routes unchanged

  it('reproduces the issue: with primary suppression alone, 2026-10-04 opioid_other = 8 comes back exactly', async () => {
    expect(october.filter((d) => d.counters.bySubstance.opioid_other < 10).map((d) => d.date)).toEqual(['2026-10-04']);
    const old = primaryOnly(october, 10);
    const col = old[0]!.indexOf('intakes_opioid_other');
    expect(old[4]![col]).toBe('<10');
    // The month's total minus the other days:
    const others = old.slice(1, -1).reduce((s, r) => s + (r[col] === '<10' ? 0 : Number(r[col])), 0);
    expect(Number(old.at(-1)![col]) - others).toBe(8);
    const attack = await attackTable(old, 10);
    expect(attack.pinned).toContainEqual({ cell: '2026-10-04:intakes_opioid_other', value: 8 });
  });

  it('with complementary suppression the attacker pins down nothing, and the month stays readable', async () => {
    const table = reportTable(october, 10);
    const col = table[0]!.indexOf('intakes_opioid_other');
    expect(table[4]![col]).toBe('<10');
    const attack = await attackTable(table, 10);
    const opioid = attack.ranges.find((r) => r.cell === '2026-10-04:intakes_opioid_other')!;
    console.log(`October at Skyen, N = 10: ${attack.hidden} hidden cells (${table.flat().filter((c) => c === WITHHELD).length} complementary), none pinned; opioid_other on the 4th could be ${opioid.min}–${opioid.max}`);
    expect(attack.pinned).toEqual([]);
    expect(opioid.max).toBeGreaterThan(opioid.min);
    // Still a report: the month's intakes and most day rows' intakes are shown.
    const intakes = table[0]!.indexOf('intakes');
    expect(table.at(-1)![intakes]).toMatch(/^\d{5}$/);
    expect(table.slice(1, -1).filter((r) => /^\d+$/.test(r[intakes]!)).length).toBeGreaterThan(25);
  });

  it('holds for a quiet site and every threshold, including totals made of small counts', async () => {
    const h17 = SiteConfig.parse({
      id: 'h17',
      name: 'H17',
      rooms: [
        { id: 'inj', name: 'Injektion', kind: 'injection', booths: 6, openingHours: [{ open: '07:30', close: '23:30' }] },
        { id: 'smk', name: 'Rygning', kind: 'inhalation', booths: 6, openingHours: [{ open: '07:30', close: '23:30' }] },
      ],
    });
    const quiet = month(h17, '2026-02-01', '2026-02-28', 3, 4); // about 40 uses a day
    for (const below of [3, 5, 10, 20]) {
      const table = reportTable(quiet, below);
      const attack = await attackTable(table, below);
      expect(attack.pinned, `N = ${below}`).toEqual([]);
      expect(attack.hidden).toBeGreaterThan(0);
    }
  });

  it('frees a total of N − 1 made of N − 1 ones (the bounds alone would pin every one)', async () => {
    const days = datesBetween('2026-03-01', '2026-03-12').map((date, i) => {
      const c = countersFromFields({ intakes: '40', 'sub:cocaine': '40', 'route:inhalation': '40', registrations: '12' });
      if (i < 9) c.ambulance = 1; // nine days with one ambulance call each: 9 in all
      return { date, counters: c };
    });
    const old = primaryOnly(days, 10);
    expect((await attackTable(old, 10)).pinned.filter((p) => p.cell.endsWith('ambulance_calls')).length).toBe(10);
    const table = reportTable(days, 10);
    expect((await attackTable(table, 10)).pinned).toEqual([]);
  });
});
