import { describe, expect, it } from 'vitest';
import { CloseShiftBody, HANDOVER_NOTE_MAX, lastShiftChange, nextShiftChange, shiftChangeInstants, summarise, type SpanEvent } from '../../shared/handovers';
import { AlertHistoryQuery, historyTotals } from '../../shared/alerts/history';

const TZ = 'Europe/Copenhagen';
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('shift-change times', () => {
  it('finds the latest and next change in the site zone, across midnight', () => {
    const now = Date.parse('2026-01-15T00:30+01:00');
    expect(iso(lastShiftChange(['07:00', '15:00', '23:00'], TZ, now))).toBe(new Date('2026-01-14T23:00+01:00').toISOString());
    expect(iso(nextShiftChange(['07:00', '15:00', '23:00'], TZ, now))).toBe(new Date('2026-01-15T07:00+01:00').toISOString());
    expect(lastShiftChange([], TZ, now)).toBeNull();
  });

  it('keeps real instants on DST days: a skipped time moves on an hour, a repeated one happens once', () => {
    const spring = shiftChangeInstants(['02:30'], TZ, Date.parse('2026-03-29T12:00+02:00'));
    // 02:30 does not exist on 29 March: 03:30 summer time.
    expect(spring.map(iso)).toContain(new Date('2026-03-29T03:30+02:00').toISOString());
    const autumn = shiftChangeInstants(['02:30'], TZ, Date.parse('2026-10-25T12:00+01:00'));
    expect(autumn.filter((t) => iso(t)!.startsWith('2026-10-25'))).toEqual([Date.parse('2026-10-25T02:30+02:00')]);
    // 23:00 → 07:00 across the changes: 7 and 9 real hours.
    expect((nextShiftChange(['07:00', '23:00'], TZ, Date.parse('2026-03-28T23:00+01:00'))! - Date.parse('2026-03-28T23:00+01:00')) / 3_600_000).toBe(7);
    expect((nextShiftChange(['07:00', '23:00'], TZ, Date.parse('2026-10-24T23:00+02:00'))! - Date.parse('2026-10-24T23:00+02:00')) / 3_600_000).toBe(9);
  });
});

describe('the note', () => {
  it(`takes up to ${HANDOVER_NOTE_MAX} characters (trimmed) and nothing else`, () => {
    expect(CloseShiftBody.parse({ note: `  ${'æ'.repeat(HANDOVER_NOTE_MAX)}  ` }).note).toHaveLength(HANDOVER_NOTE_MAX);
    expect(CloseShiftBody.safeParse({ note: 'x'.repeat(HANDOVER_NOTE_MAX + 1) }).success).toBe(false);
    expect(CloseShiftBody.safeParse({ note: 'ok', person: 'name' }).success).toBe(false);
    expect(CloseShiftBody.parse({})).toEqual({});
  });
});

describe('summarise', () => {
  const ev = (seq: number, fields: Record<string, string>): SpanEvent => ({ seq, fields: { at: String(1_000 + seq), ...fields } });
  it('sums the events, leaves out undone ones and undos, and follows peaks and staffing', () => {
    const events = [
      ev(1, { type: 'check-in', booth: 'inj-1', substance: 'cocaine', route: 'injection', assisted: '1', q: '4', occ: '1', staff: '3' }),
      ev(2, { type: 'check-in', booth: 'smk-1', substance: 'mixed', route: 'inhalation', q: '3', occ: '2', staff: '3' }),
      ev(3, { type: 'registration', q: '3', occ: '2', staff: '3' }),
      ev(4, { type: 'undo', undoes: '3', q: '3', occ: '2', staff: '3' }),
      ev(5, { type: 'queue-leave', sentTo: 'h17', q: '2', occ: '2', staff: '2' }),
      ev(6, { type: 'incident', kind: 'overdose', naloxone: '1', q: '2', occ: '2', staff: '2' }),
    ];
    const s = summarise({
      events,
      undone: new Set([3]),
      kindOf: (b) => (b.startsWith('inj') ? 'injection' : 'inhalation'),
      start: { queue: 5, occupied: 0, onShift: 3 },
      outOfServiceNow: [{ boothId: 'inj-4', since: 500, reason: 'repair' }],
      fromMs: 0,
      toMs: 3_600_000,
      alerts: [],
      plan: { default: 4, byWeekday: {}, changes: [] },
      timeZone: TZ,
    });
    expect(s.intakes).toMatchObject({ total: 2, assisted: 1, byKind: { injection: 1, inhalation: 1 } });
    expect(s.intakes.byKindSubstance.inhalation.mixed).toBe(1);
    expect(s.registrations).toBe(0);
    expect(s.events).toBe(4);
    expect(s.queue).toEqual({ joined: 0, walkAways: 1, sentTo: { h17: 1 } });
    expect(s.peaks).toEqual({ occupied: 2, queue: 5 });
    expect(s.incidents).toEqual([expect.objectContaining({ kind: 'overdose', naloxone: true, ambulance: false })]);
    expect(s.outOfService).toEqual([{ boothId: 'inj-4', reason: 'repair', since: iso(500), backAt: null }]);
    expect(s.staffing).toEqual([{ start: iso(0), planned: 4, minOnShift: 2, maxOnShift: 3 }]);
  });

  it("lists each incident's outcome once closed, and an earlier incident closed in the span", () => {
    const events = [
      ev(10, { type: 'incident', kind: 'overdose', booth: 'inj-2', q: '0', occ: '1', staff: '3' }),
      ev(11, { type: 'incident-close', incident: '10', kind: 'overdose', outcome: 'ambulance', addAmbulance: '1', q: '0', occ: '1', staff: '3' }),
      ev(12, { type: 'incident-close', incident: '4', kind: 'medical', outcome: 'recovered', q: '0', occ: '1', staff: '3' }),
      ev(13, { type: 'incident', kind: 'medical', q: '0', occ: '1', staff: '3' }),
    ];
    const s = summarise({
      events,
      undone: new Set(),
      kindOf: () => 'injection',
      start: { queue: 0, occupied: 1, onShift: 3 },
      outOfServiceNow: [],
      fromMs: 0,
      toMs: 3_600_000,
      alerts: [],
      plan: { default: 3, byWeekday: {}, changes: [] },
      timeZone: TZ,
    });
    expect(s.incidents).toEqual([
      { seq: 10, at: iso(1_010), kind: 'overdose', boothId: 'inj-2', naloxone: false, ambulance: true, outcome: 'ambulance', closedAt: iso(1_011) },
      { seq: 4, at: null, kind: 'medical', boothId: null, naloxone: false, ambulance: false, outcome: 'recovered', closedAt: iso(1_012) },
      { seq: 13, at: iso(1_013), kind: 'medical', boothId: null, naloxone: false, ambulance: false },
    ]);
  });
});

describe('alert history query and totals', () => {
  it('names bad fields and caps the range', () => {
    const r = AlertHistoryQuery.safeParse({ from: '2026-02-30', to: '2026-03-01', severity: 'loud' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['from', 'severity']));
    expect(AlertHistoryQuery.safeParse({ from: '2026-01-01', to: '2026-04-02' }).success).toBe(true);
    expect(AlertHistoryQuery.safeParse({ from: '2026-01-01', to: '2026-04-03' }).success).toBe(false);
  });
  it('takes the median time to acknowledge of the acknowledged rows', () => {
    const row = (ackMinutes: number | null) => ({ ackMinutes, acknowledgedAt: ackMinutes === null ? null : 'x', open: false }) as never;
    expect(historyTotals([row(2), row(8), row(null), row(4)])).toEqual({ alerts: 4, acknowledged: 3, open: 0, medianAckMinutes: 4 });
  });
});
