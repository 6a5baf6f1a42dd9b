import { describe, expect, it } from 'vitest';
import { actionCardOf, computeLoadLevel, estimateWaitMinutes, LOAD_ACTION_CARDS, LOAD_LEVELS, pausesIntakes, QUEUE_CRITICAL_CARD, type LoadInput } from '../../shared/loadLevel';

const calm: LoadInput = { openBooths: 17, occupied: 4, queue: 0, onShift: 4, overdosesLast30Min: 0 };
const level = (over: Partial<LoadInput>) => computeLoadLevel({ ...calm, ...over });

describe('computeLoadLevel', () => {
  it('is normal on a calm floor, and on an empty closed floor with nobody on shift', () => {
    expect(level({})).toMatchObject({ level: 'normal', factors: [] });
    expect(level({ occupied: 0, onShift: 0 }).level).toBe('normal');
  });

  it('follows occupancy: busy from 75 %, strained from 90 % of open booths', () => {
    expect(level({ openBooths: 20, occupied: 14, onShift: 10 }).level).toBe('normal');
    expect(level({ openBooths: 20, occupied: 15, onShift: 10 })).toMatchObject({ level: 'busy', factors: ['occupancy'] });
    expect(level({ openBooths: 20, occupied: 18, onShift: 10 })).toMatchObject({ level: 'strained', factors: ['occupancy'] });
    // Out-of-service booths are not open: 9 of 10 open booths is strained.
    expect(level({ openBooths: 10, occupied: 9, onShift: 10 }).level).toBe('strained');
  });

  it('follows the queue rule: 3 busy, 5 strained (warning), 10 critical', () => {
    expect(level({ queue: 2 }).level).toBe('normal');
    expect(level({ queue: 3 }).level).toBe('busy');
    expect(level({ queue: 5 })).toMatchObject({ level: 'strained', factors: ['queue'] });
    expect(level({ queue: 10 })).toMatchObject({ level: 'critical', factors: ['queue'] });
  });

  it('follows booths per staff: above 3.5 busy, above 4 strained, above 6 critical', () => {
    // A large site, so occupancy and the responder floor stay out of it.
    expect(level({ openBooths: 80, occupied: 35, onShift: 10 })).toMatchObject({ level: 'normal', perStaff: 3.5 });
    expect(level({ openBooths: 80, occupied: 36, onShift: 10 })).toMatchObject({ level: 'busy', factors: ['perStaff'] });
    expect(level({ openBooths: 80, occupied: 41, onShift: 10 })).toMatchObject({ level: 'strained', factors: ['perStaff'] });
    // With few staff the responder floor bites first: 4 staff, 17 occupied leave 0.6 responders.
    expect(level({ openBooths: 40, occupied: 17, onShift: 4 }).factors).toEqual(['responderFloor']);
  });

  it('is critical when no free responder is left (responder floor, never muted)', () => {
    // 6 staff, 25 occupied → 6 − 5 = 1 free responder: still fine on this rule.
    expect(level({ openBooths: 40, occupied: 25, onShift: 6 }).factors).not.toContain('responderFloor');
    // One overdose ties up two staff: 6 − 5 − 2 < 1.
    const r = level({ openBooths: 40, occupied: 25, onShift: 6, overdosesLast30Min: 1 });
    expect(r.level).toBe('critical');
    expect(r.factors).toContain('responderFloor');
    expect(r.freeResponders).toBe(-1);
  });

  it('is critical with people on the floor and nobody on shift', () => {
    expect(level({ occupied: 1, onShift: 0 })).toMatchObject({ level: 'critical', factors: ['noStaff'], perStaff: null });
    expect(level({ occupied: 0, queue: 1, onShift: 0 }).level).toBe('critical');
  });

  it('treats overdoses in the last 30 minutes: one strained, two a critical cluster', () => {
    expect(level({ onShift: 8, overdosesLast30Min: 1 })).toMatchObject({ level: 'strained', factors: ['overdoseRecent'] });
    expect(level({ onShift: 8, overdosesLast30Min: 2 }).factors).toContain('overdoseCluster');
    expect(level({ onShift: 8, openIncidents: 1 })).toMatchObject({ level: 'strained', factors: ['openIncident'] });
  });

  it('reports every factor at the top level, and only those', () => {
    const r = level({ openBooths: 10, occupied: 10, queue: 12, onShift: 1 });
    expect(r.level).toBe('critical');
    expect(r.factors).toEqual(expect.arrayContaining(['responderFloor', 'perStaff', 'queue']));
    expect(r.factors).not.toContain('occupancy');
  });

  it('survives nonsense input', () => {
    expect(level({ openBooths: 0, occupied: 0, queue: 0, onShift: 0 }).occupancy).toBe(0);
    expect(level({ openBooths: -3, occupied: -1, queue: -2, onShift: -1, overdosesLast30Min: -1 }).level).toBe('normal');
  });

  it('pauses intakes only when critical for a safety reason; a critical queue alone has its own card', () => {
    // Payday evening at Skyen: 15 waiting, 13 of 38 in use, 7 on shift — staff to spare.
    const queueOnly = level({ openBooths: 38, occupied: 13, queue: 15, onShift: 7 });
    expect(queueOnly).toMatchObject({ level: 'critical', factors: ['queue'] });
    expect(pausesIntakes(queueOnly)).toBe(false);
    expect(actionCardOf(queueOnly)).toBe(QUEUE_CRITICAL_CARD);
    // The same floor with two on shift: no free responder; the level's own card says pause.
    const noResponder = level({ openBooths: 38, occupied: 13, queue: 15, onShift: 2 });
    expect(noResponder.factors).toContain('responderFloor');
    expect(pausesIntakes(noResponder)).toBe(true);
    expect(actionCardOf(noResponder)).toBe(LOAD_ACTION_CARDS.critical);
    // Two overdoses within the window, staff enough: critical, intakes paused.
    expect(pausesIntakes(level({ openBooths: 38, occupied: 13, queue: 0, onShift: 12, overdosesLast30Min: 2 }))).toBe(true);
    // Below critical nothing pauses, and the level's card stands.
    const busy = level({ openBooths: 38, occupied: 13, queue: 3, onShift: 7 });
    expect(pausesIntakes(busy)).toBe(false);
    expect(actionCardOf(busy)).toBe(LOAD_ACTION_CARDS[busy.level]);
  });

  it('has an action card in Danish and English for every level', () => {
    for (const l of LOAD_LEVELS) {
      expect(LOAD_ACTION_CARDS[l].da.length).toBeGreaterThan(5);
      expect(LOAD_ACTION_CARDS[l].en.length).toBeGreaterThan(5);
    }
  });
});

describe('estimateWaitMinutes', () => {
  it('is zero while free booths outnumber the queue', () => {
    expect(estimateWaitMinutes({ queue: 2, freeBooths: 3, openBooths: 10, meanSessionMinutes: 20 })).toBe(0);
  });
  it('grows with the people ahead beyond the free booths', () => {
    // 10 booths, 20-minute sessions: one frees every 2 minutes; 5 ahead → the newcomer is 6th.
    expect(estimateWaitMinutes({ queue: 5, freeBooths: 0, openBooths: 10, meanSessionMinutes: 20 })).toBe(12);
  });
  it('is unknown when nothing is open and people wait', () => {
    expect(estimateWaitMinutes({ queue: 1, freeBooths: 0, openBooths: 0, meanSessionMinutes: 20 })).toBeNull();
    expect(estimateWaitMinutes({ queue: 0, freeBooths: 0, openBooths: 0, meanSessionMinutes: 20 })).toBe(0);
  });
});
