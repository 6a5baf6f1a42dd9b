import { describe, expect, it } from 'vitest';
import { boothsForTargetWait, erlangB, erlangC, queueFigures, staffNeeded } from '../../shared/erlang';

/** Erlang C straight from its textbook definition with factorial sums, as an independent check. */
function erlangCDirect(n: number, a: number): number {
  let sum = 0;
  let term = 1; // a^k / k!
  for (let k = 0; k < n; k++) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const top = ((term * a) / n) * (n / (n - a)); // a^n / n! · n / (n − a)
  return top / (sum + top);
}

describe('Erlang C', () => {
  it('matches published reference values', () => {
    // The classic call-centre example (callcentrehelper.com, "Erlang C formula – made simple"):
    // 10 Erlang of traffic on 11 agents waits with probability 0.6821.
    expect(erlangC(11, 10)).toBeCloseTo(0.6821, 4);
    // Closed forms: M/M/2 waits with P = a²/(2 + a) (a = 1 → 1/3); M/M/3 with a = 2 → 4/9.
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 12);
    // M/M/1: P(wait) = utilisation.
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
    // Erlang B textbook value: 10 Erlang on 10 circuits blocks 21.46 %.
    expect(erlangB(10, 10)).toBeCloseTo(0.2146, 4);
  });

  it('agrees with the direct formula across a range', () => {
    for (const [n, a] of [[5, 3.2], [11, 10], [14, 10], [17, 12.6], [30, 25]] as const) {
      expect(erlangC(n, a)).toBeCloseTo(erlangCDirect(n, a), 10);
    }
  });

  it('gives the mean wait: P(wait) × holding time ÷ (servers − load)', () => {
    // 200 arrivals an hour holding 3 minutes each = 10 Erlang on 11 servers.
    const q = queueFigures(11, 200, 3);
    expect(q.load).toBeCloseTo(10, 12);
    expect(q.meanWait).toBeCloseTo((0.682118 * 3) / 1, 4);
    expect(q.stable).toBe(true);
  });

  it('handles the edges: no traffic, load at or over capacity', () => {
    expect(erlangC(5, 0)).toBe(0);
    expect(queueFigures(5, 0, 20)).toEqual({ load: 0, pWait: 0, meanWait: 0, stable: true });
    expect(erlangC(5, 5)).toBe(1);
    const over = queueFigures(5, 30, 20); // 10 Erlang on 5 booths
    expect(over.stable).toBe(false);
    expect(over.meanWait).toBe(Infinity);
    expect(boothsForTargetWait(0, 20)).toBe(0);
  });

  it('finds the fewest booths for a target wait', () => {
    // 36 uses an hour of 21 minutes (session + cleaning) = 12.6 Erlang.
    const n = boothsForTargetWait(36, 21, 5);
    expect(queueFigures(n, 36, 21).meanWait).toBeLessThanOrEqual(5);
    expect(queueFigures(n - 1, 36, 21).meanWait).toBeGreaterThan(5);
    expect(n).toBeGreaterThan(12.6);
  });

  it('staffs one observer per 5 booths plus a free responder', () => {
    expect(staffNeeded(0)).toBe(0);
    expect(staffNeeded(1)).toBe(2);
    expect(staffNeeded(5)).toBe(2);
    expect(staffNeeded(6)).toBe(3);
    expect(staffNeeded(17)).toBe(5);
    expect(staffNeeded(12, 4)).toBe(4);
  });
});
