import { describe, expect, it } from 'vitest';
import { emptyCounters } from '../../shared/counters';
import { csvField, datesBetween, HistoryQuery, monthRange, reportTable, sumCounters, suppress, toCsv } from '../../shared/history';

describe('history and report helpers', () => {
  it('escapes CSV fields (RFC 4180) and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' edge')).toBe('" edge"');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(toCsv([['a', 'b,c'], ['1', '2']])).toBe('a,"b,c"\r\n1,2\r\n');
  });

  it('suppresses 1 … N−1 only', () => {
    expect([0, 1, 9, 10].map((v) => suppress(v, 10))).toEqual(['0', '<10', '<10', '10']);
    expect(suppress(3, undefined)).toBe('3');
  });

  it('sums counts and keeps the largest peak', () => {
    const a = { ...emptyCounters(), intakes: 3, peakOccupied: 5, peakQueue: 1 };
    const b = { ...emptyCounters(), intakes: 4, peakOccupied: 2, peakQueue: 7 };
    expect(sumCounters([a, b])).toMatchObject({ intakes: 7, peakOccupied: 5, peakQueue: 7 });
    const table = reportTable([{ date: '2025-01-01', counters: a }, { date: '2025-01-02', counters: b }]);
    expect(table).toHaveLength(4);
    expect(table[3]![0]).toBe('total');
  });

  it('lists dates across month ends and DST, and month ranges', () => {
    expect(datesBetween('2025-03-29', '2025-04-01')).toEqual(['2025-03-29', '2025-03-30', '2025-03-31', '2025-04-01']);
    expect(monthRange('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
  });

  it('validates the query: order and span per bucket', () => {
    expect(HistoryQuery.safeParse({ from: '2025-01-01', to: '2026-02-04' }).success).toBe(true); // 400 days
    expect(HistoryQuery.safeParse({ from: '2025-01-01', to: '2026-02-05' }).success).toBe(false);
    expect(HistoryQuery.safeParse({ from: '2025-01-01', to: '2025-01-31', bucket: 'hour' }).success).toBe(true);
    expect(HistoryQuery.safeParse({ from: '2025-01-01', to: '2025-02-01', bucket: 'hour' }).success).toBe(false);
  });
});
