import { describe, expect, it } from 'vitest';
import { step, type AlertCore, type MachineOptions, type Transition } from '../../shared/alerts/machine';
import { queueRule, boothsPerStaffRule, type AlertInput } from '../../shared/alerts/rules';
import { alertSettingsOf } from '../../shared/alerts/settings';

const S = alertSettingsOf(undefined).rules;
const T0 = Date.parse('2025-03-12T14:00:00Z');
const SEC = 1_000;
const opts: MachineOptions = { pendingMs: 120 * SEC, repeatMs: 600 * SEC, escalateMs: 600 * SEC };

const floor = (occupied: number, onShift: number, queue = 0): AlertInput => ({
  now: 0,
  snapshot: { booths: [], queue, onShift, occupied },
  rooms: [],
  overdoses: [],
  lastEventAt: null,
  forecast: null,
  payday: null,
  displays: [],
});

/** Feeds a series of values (one per 15 s tick) through the machine; returns the transitions. */
function run(values: number[], toSignal: (v: number) => ReturnType<typeof queueRule>[number], o = opts, ack?: { at: number }) {
  let alert: AlertCore | null = null;
  const seen: Array<{ t: number; kind: Transition; severity?: string }> = [];
  values.forEach((v, i) => {
    const now = T0 + i * 15 * SEC;
    if (ack && i === ack.at && alert) alert = { ...alert, ackSeverity: alert.severity };
    const d = step(alert, toSignal(v), now, o);
    if (!d) return;
    alert = d.next;
    seen.push({ t: i, kind: d.kind, ...(d.next ? { severity: d.next.severity } : {}) });
  });
  return { seen, alert: alert as AlertCore | null };
}
const ratio = (r: number) => boothsPerStaffRule(floor(Math.round(r * 100), 100), S['booths-per-staff'])[0]!;
const kinds = (s: { kind: Transition }[]) => s.map((x) => x.kind);

describe('alert state machine: pending → firing → resolved with hysteresis', () => {
  it('fires once after the pending period and stays firing while noise crosses the fire threshold inside the clear band', () => {
    // 2 min above 4, then 30 min of noise between 3.6 and 4.4 (crossing 4 on every other tick), then 3.
    const noisy = Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? 4.4 : 3.6));
    const values = [...Array(9).fill(4.5), ...noisy, 3.0, 3.0];
    const { seen } = run(values, ratio, { ...opts, repeatMs: 0 });
    expect(kinds(seen)).toEqual(['pending', 'fired', 'resolved']);
    expect(seen.filter((s) => s.kind === 'fired')).toHaveLength(1);
    expect(seen[1]!.t).toBe(8); // 8 × 15 s = the 2 minute pending period
  });

  it('never fires on spikes shorter than the pending period (they only go pending and back)', () => {
    const values = Array.from({ length: 80 }, (_, i) => (i % 4 === 0 ? 4.4 : 3.6));
    const { seen } = run(values, ratio);
    expect(kinds(seen).filter((k) => k === 'fired')).toEqual([]);
    expect(new Set(kinds(seen))).toEqual(new Set(['pending', 'cancelled']));
  });

  it('worsens at once, eases only below the critical clear threshold, then resolves below clear', () => {
    const q = (v: number) => queueRule(floor(0, 1, v), S.queue)[0]!;
    const values = [...Array(13).fill(6), 10, 9, 6, 5, 4, 3, 2];
    const { seen } = run(values, q, { ...opts, repeatMs: 0 });
    expect(seen.map((s) => `${s.kind}:${s.severity ?? ''}`)).toEqual(['pending:warning', 'fired:warning', 'worsened:critical', 'eased:warning', 'resolved:']);
    expect(seen.find((s) => s.kind === 'eased')!.t).toBe(17); // 4 < criticalClear 5
  });

  it('repeats every 10 min until acknowledged; an ack silences its severity only', () => {
    const values = [...Array(9).fill(4.5), ...Array(100).fill(4.5), ...Array(100).fill(7)];
    const { seen } = run(values, ratio, opts, { at: 70 });
    // Fired at tick 8; one reminder 10 min (40 ticks) later; none after the ack at tick 70.
    expect(seen.filter((s) => s.kind === 'repeated' && s.t < 109).map((s) => s.t)).toEqual([48]);
    // The critical level re-alerts at once despite the warning ack, and is reminded of again.
    expect(seen.filter((s) => s.t >= 109).map((s) => `${s.t}:${s.kind}`)).toEqual(['109:worsened', '149:escalated', '150:repeated', '190:repeated']);
  });

  it('escalates an unacknowledged critical alert once after the set time', () => {
    const values = Array(100).fill(7);
    const { seen } = run(values, ratio, { ...opts, pendingMs: 0, repeatMs: 0 });
    expect(seen.map((s) => `${s.t}:${s.kind}`)).toEqual(['0:fired', '40:escalated']);
    const acked = run(values, ratio, { ...opts, pendingMs: 0, repeatMs: 0 }, { at: 20 });
    expect(kinds(acked.seen)).toEqual(['fired']);
  });

  it('keeps reminding of an unsilenceable alert after an ack', () => {
    const unsilenceable = (v: number) => ({ ...ratio(v), silenceable: false });
    const { seen } = run(Array(100).fill(7), unsilenceable, { ...opts, pendingMs: 0, escalateMs: 0 }, { at: 10 });
    expect(seen.filter((s) => s.kind === 'repeated').map((s) => s.t)).toEqual([40, 80]);
  });
});
