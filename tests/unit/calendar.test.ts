import { describe, expect, it } from 'vitest';
import { addDays, bankHolidays, childBenefitDays, daysFromPayday, easterSunday, hourPosition, isBankingDay, nextPayday, paydaysOf, paymentDaysOf, PaydayRules, previousPayday, RISK_POSITIONS } from '../../shared/calendar';
import { clockHourOccurrences, defaultHourly, expectedByNow, buildForecast } from '../../shared/forecast';
import { businessDayStart } from '../../shared/businessTime';
import { SiteConfig } from '../../shared/siteConfig';

// Gregorian Easter Sundays 2010–2029 (published Easter tables; 2016, 2021, 2026 and 2027 also
// match the Maundy Thursday / Good Friday dates in Danmarks Nationalbank's closing-day lists).
const EASTER: Record<number, string> = {
  2010: '04-04', 2011: '04-24', 2012: '04-08', 2013: '03-31', 2014: '04-20',
  2015: '04-05', 2016: '03-27', 2017: '04-16', 2018: '04-01', 2019: '04-21',
  2020: '04-12', 2021: '04-04', 2022: '04-17', 2023: '04-09', 2024: '03-31',
  2025: '04-20', 2026: '04-05', 2027: '03-28', 2028: '04-16', 2029: '04-01',
};

// Last banking day of each month. 2023 equals the folkepension dates published on
// udbetalingsdato.dk; 2024 equals them except December (they print the 31st, a bank closing
// day by Nationalbanken's list, so the last banking day is Monday 30 December); 2025–2027 are
// derived by hand from Nationalbanken's banklukkedage (2025: Friday 30 May is the closing day
// after Ascension, so May's payday is Wednesday 28 May).
const PAYDAYS: Record<number, string[]> = {
  2023: ['01-31', '02-28', '03-31', '04-28', '05-31', '06-30', '07-31', '08-31', '09-29', '10-31', '11-30', '12-29'],
  2024: ['01-31', '02-29', '03-27', '04-30', '05-31', '06-28', '07-31', '08-30', '09-30', '10-31', '11-29', '12-30'],
  2025: ['01-31', '02-28', '03-31', '04-30', '05-28', '06-30', '07-31', '08-29', '09-30', '10-31', '11-28', '12-30'],
  2026: ['01-30', '02-27', '03-31', '04-30', '05-29', '06-30', '07-31', '08-31', '09-30', '10-30', '11-30', '12-30'],
  2027: ['01-29', '02-26', '03-31', '04-30', '05-31', '06-30', '07-30', '08-31', '09-30', '10-29', '11-30', '12-30'],
};

describe('Danish banking calendar', () => {
  it('computes Easter Sunday for 20 years', () => {
    for (const [year, md] of Object.entries(EASTER)) expect(easterSunday(Number(year))).toBe(`${year}-${md}`);
  });

  it('has the bank closing days Nationalbanken lists for 2026 and 2027', () => {
    const weekdays = (y: number) => [...bankHolidays(y).keys()].filter((d) => ![6, 0].includes(new Date(d).getUTCDay())).sort();
    expect(weekdays(2026)).toEqual(['2026-01-01', '2026-04-02', '2026-04-03', '2026-04-06', '2026-05-14', '2026-05-15', '2026-05-25', '2026-06-05', '2026-12-24', '2026-12-25', '2026-12-31']);
    // 26 Dec 2026 and 5 June, 25 and 26 Dec 2027 fall on weekends (Nationalbanken lists them anyway).
    expect(weekdays(2027)).toEqual(['2027-01-01', '2027-03-25', '2027-03-26', '2027-03-29', '2027-05-06', '2027-05-07', '2027-05-17', '2027-12-24', '2027-12-31']);
  });

  it('drops Great Prayer Day from 2024', () => {
    expect(bankHolidays(2023).get('2023-05-05')).toBe('Great Prayer Day');
    expect(isBankingDay('2023-05-05')).toBe(false);
    expect(isBankingDay('2024-04-26')).toBe(true); // would have been Great Prayer Day
  });

  it('gives the last banking day of each month as payday, 2023–2027', () => {
    for (const [year, days] of Object.entries(PAYDAYS)) {
      expect(paydaysOf(Number(year))).toEqual(days.map((d) => `${year}-${d}`));
    }
  });

  it('places days relative to payday', () => {
    expect(daysFromPayday('2026-03-31')).toBe('payday');
    expect(daysFromPayday('2026-04-01')).toBe('after1');
    expect(daysFromPayday('2026-04-02')).toBe('after2');
    expect(daysFromPayday('2026-04-03')).toBe('other');
    expect(daysFromPayday('2026-04-25')).toBe('before'); // 5 days before 30 April
    expect(daysFromPayday('2026-04-24')).toBe('other');
    expect(daysFromPayday('2026-01-01')).toBe('after2'); // 30 Dec 2025 + 2, across the year
    expect(nextPayday('2026-12-31')).toBe('2027-01-29');
    expect(previousPayday('2027-01-05')).toBe('2026-12-30');
  });

  it("applies a site's replaced and extra paydays", () => {
    const rules = PaydayRules.parse({ add: ['2026-06-15'], replace: { '2026-12': '2026-12-22' } });
    const dates = paydaysOf(2026, rules);
    expect(dates).toContain('2026-06-15');
    expect(dates).toContain('2026-12-22');
    expect(dates).not.toContain('2026-12-30');
    expect(daysFromPayday('2026-06-16', rules)).toBe('after1');
    expect(nextPayday('2026-12-23', rules)).toBe('2027-01-29');
    expect(() => PaydayRules.parse({ replace: { '2026-13x': '2026-12-22' } })).toThrow();
  });

  it('refuses impossible dates in every calendar override (2026-02-30, month 13)', () => {
    const problems = (input: unknown) => {
      const r = PaydayRules.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(problems({ add: ['2026-02-30'] })).toEqual(['add.0']);
    expect(problems({ paymentDays: ['2026-04-31'] })).toEqual(['paymentDays.0']);
    expect(problems({ replace: { '2026-13': '2026-12-22' } })).toEqual(['replace.2026-13']);
    expect(problems({ replace: { '2026-12': '2026-12-32' } })).toEqual(['replace.2026-12']);
    expect(problems({ replace: { '2026-12': '2027-01-04' } })).toEqual(['replace.2026-12']); // not in that month
    expect(problems({ moneyArrivesHour: 24 })).toEqual(['moneyArrivesHour']);
    expect(problems({ add: ['2024-02-29'], replace: { '2026-12': '2026-12-22' }, paymentDays: ['2026-06-15'] })).toEqual([]);
  });

  it('keeps other payment days (børneydelse, a local benefit) as their own, smaller kind', () => {
    // The last weekday on or before the 20th of January, April, July and October.
    expect(childBenefitDays(2026)).toEqual(['2026-01-20', '2026-04-20', '2026-07-20', '2026-10-20']);
    expect(childBenefitDays(2025)).toEqual(['2025-01-20', '2025-04-18', '2025-07-18', '2025-10-20']);
    expect(daysFromPayday('2026-04-20')).toBe('payment');
    expect(paydaysOf(2026)).not.toContain('2026-04-20');
    const rules = PaydayRules.parse({ paymentDays: ['2026-06-15'], childBenefit: false });
    expect(daysFromPayday('2026-06-15', rules)).toBe('payment');
    expect(daysFromPayday('2026-06-16', rules)).toBe('other'); // no "day after" for a payment day
    expect(daysFromPayday('2026-04-20', rules)).toBe('other');
    expect(paymentDaysOf(2026, rules)).toEqual(['2026-06-15']);
    // Payday wins over a payment day on the same date.
    expect(daysFromPayday('2026-06-30', PaydayRules.parse({ paymentDays: ['2026-06-30'] }))).toBe('payday');
  });

  it('gives each hour the position of its own calendar date, from the money-arrives hour', () => {
    // Business day 29 Nov 2026 (06:00 → 06:00): its small hours are on payday, 30 Nov.
    expect(hourPosition('2026-11-29', 23, 6)).toBe('before');
    expect(hourPosition('2026-11-29', 0, 6)).toBe('payday');
    expect(RISK_POSITIONS).toContain(hourPosition('2026-11-29', 0, 6)); // overdose risk doubles from midnight
    const late = PaydayRules.parse({ moneyArrivesHour: 4 });
    expect(hourPosition('2026-11-29', 3, 6, late)).toBe('before');
    expect(hourPosition('2026-11-29', 4, 6, late)).toBe('payday');
    // The day after payday still counts as payday until the money hour: its business day starts later.
    expect(hourPosition('2026-11-30', 3, 6, late)).toBe('payday');
  });

  it('does date arithmetic on calendar dates, not instants', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30'); // DST night in Europe: no effect
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });
});

describe('DST business days in the forecast', () => {
  const site = SiteConfig.parse({ id: 'dst', name: 'DST', rooms: [{ id: 'inj', name: 'I', kind: 'injection', booths: 17 }] });

  it('has 23 clock hours in spring (02 missing) and 25 in autumn (02 twice)', () => {
    const spring = clockHourOccurrences('2026-03-28', 'Europe/Copenhagen', 6);
    expect(spring.reduce((a, b) => a + b, 0)).toBe(23);
    expect(spring[2]).toBe(0);
    const autumn = clockHourOccurrences('2026-10-24', 'Europe/Copenhagen', 6);
    expect(autumn.reduce((a, b) => a + b, 0)).toBe(25);
    expect(autumn[2]).toBe(2);
    expect(clockHourOccurrences('2026-06-10', 'Europe/Copenhagen', 6)).toEqual(new Array(24).fill(1));
  });

  it('expects nothing in the skipped hour and double in the repeated one', () => {
    const normal = defaultHourly(site, '2026-10-17', 1);
    const autumn = defaultHourly(site, '2026-10-24', 1);
    const spring = defaultHourly(site, '2026-03-28', 1);
    expect(autumn[2]).toBeCloseTo(2 * normal[2]!, 6);
    expect(spring[2]).toBe(0);
    expect(normal.reduce((a, b) => a + b, 0)).toBeCloseTo(600, 6);
  });

  it('counts expected-by-now in real hours across the autumn change', () => {
    const f = buildForecast(site, '2026-10-24', {});
    const start = businessDayStart('2026-10-24', 'Europe/Copenhagen', 6);
    const end = businessDayStart('2026-10-25', 'Europe/Copenhagen', 6);
    expect((end - start) / 3_600_000).toBe(25);
    expect(expectedByNow(f, site, start)).toBe(0);
    expect(expectedByNow(f, site, end)).toBeCloseTo(f.hours.reduce((a, h) => a + h.expectedIntakes, 0), 6);
    // Half of the first hour (06:00–07:00, 2.5 % of the day) after 30 minutes.
    expect(expectedByNow(f, site, start + 1_800_000)).toBeCloseTo(f.hours[0]!.expectedIntakes / 2, 6);
  });
});
