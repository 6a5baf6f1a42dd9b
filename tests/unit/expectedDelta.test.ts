import { describe, expect, it } from 'vitest';
import { expectedDelta } from '../../client/src/format';

// The wall's "Intakes today" header figure: it must stay short enough for its box at any hour.
describe('expectedDelta', () => {
  it('gives a percentage against the forecast, signed', () => {
    expect(expectedDelta(289, 594, 'en')).toBe('−51 %');
    expect(expectedDelta(660, 600, 'da')).toBe('+10 %');
    expect(expectedDelta(600, 600, 'en')).toBe('±0 %');
    expect(expectedDelta(0, 40, 'en')).toBe('−100 %');
    expect(expectedDelta(119, 40, 'en')).toBe('+198 %');
  });

  it('says "×N" from three times the expected (just after the business day starts), never a four-digit percentage', () => {
    expect(expectedDelta(289, 11, 'en')).toBe('×26'); // a four-digit percentage was wider than its 1080p box
    expect(expectedDelta(34, 10, 'da')).toBe('×3,4');
    expect(expectedDelta(120, 40, 'en')).toBe('×3');
    for (const expected of [0.5, 1, 2, 5, 11, 40]) for (const actual of [0, 1, 50, 289, 999]) expect(expectedDelta(actual, expected, 'da')!.length).toBeLessThanOrEqual(6);
  });

  it('says nothing under half an expected intake', () => {
    expect(expectedDelta(12, 0.4, 'en')).toBeNull();
    expect(expectedDelta(12, null, 'en')).toBeNull();
  });
});
