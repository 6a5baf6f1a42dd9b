import { describe, expect, it } from 'vitest';
import { DEFAULT_LOAD_THRESHOLDS } from '../../shared/loadLevel';
import { SiteConfig } from '../../shared/siteConfig';
import { generate, type SimEvent } from '../../server/sim/generator';
import { loadDemoSite, requestOf, type Send } from '../../server/sim/driver';
import { simSiteOf } from '../../server/sim/history';

const site = simSiteOf(
  SiteConfig.parse({
    id: 'sim',
    name: 'Sim',
    rooms: [
      { id: 'inj', name: 'I', kind: 'injection', booths: 4 },
      { id: 'smk', name: 'S', kind: 'inhalation', booths: 3, openingHours: [{ open: '07:30', close: '23:30' }] },
    ],
  }),
);
const start = Date.parse('2026-03-10T05:00:00Z'); // 06:00 in Copenhagen
const day = (seed: number, scenario: 'normal' | 'payday' | 'fentanyl' = 'normal') =>
  generate({ site, seed, scenario, start, until: start + 86_400_000, drain: true });

describe('simulator event generator', () => {
  it('gives the same event sequence for the same seed', () => {
    const a = day(7);
    expect(a.length).toBeGreaterThan(500);
    expect(day(7)).toEqual(a);
    expect(day(8)).not.toEqual(a);
  });

  it('keeps to the floor rules the server enforces', () => {
    for (const scenario of ['normal', 'payday', 'fentanyl'] as const) {
      const events = day(3, scenario);
      const state = new Map<string, string>();
      let queue = 0;
      let last = 0;
      const allowed: Record<string, string> = { 'check-in': 'free', 'check-out': 'occupied', cleaned: 'cleaning' };
      const next: Record<string, string> = { 'check-in': 'occupied', 'check-out': 'cleaning', cleaned: 'free' };
      for (const e of events) {
        expect(e.at).toBeGreaterThanOrEqual(last);
        expect(Number.isInteger(e.at)).toBe(true);
        last = e.at;
        if (e.type === 'check-in' || e.type === 'check-out' || e.type === 'cleaned') {
          expect(state.get(e.boothId) ?? 'free').toBe(allowed[e.type]);
          state.set(e.boothId, next[e.type]!);
          if (e.type === 'check-in' && queue > 0) queue--;
        }
        if (e.type === 'queue-join') queue++;
        if (e.type === 'queue-leave') expect(queue--).toBeGreaterThan(0);
        if (e.type === 'incident' && e.body.kind === 'overdose') expect(state.get(e.body.boothId!)).toBe('occupied');
      }
      // Drained: every booth free and nobody waiting at the end.
      expect([...state.values()].every((s) => s === 'free')).toBe(true);
      expect(queue).toBe(0);
    }
  });

  it('only uses smoking places while the room is open', () => {
    const hourOf = (e: SimEvent) => new Date(e.at).getUTCHours() + 1; // CET in March
    const smoking = day(5).filter((e) => e.type === 'check-in' && e.boothId.startsWith('smk-'));
    expect(smoking.length).toBeGreaterThan(0);
    for (const e of smoking) expect(hourOf(e) % 24).toBeGreaterThanOrEqual(7);
  });

  it('brings more traffic on payday and more overdoses with fentanyl', () => {
    const count = (events: SimEvent[], pred: (e: SimEvent) => boolean) => events.filter(pred).length;
    const checkIns = (e: SimEvent) => e.type === 'check-in';
    const queued = (e: SimEvent) => e.type === 'queue-join';
    let normal = 0, payday = 0, odNormal = 0, odFentanyl = 0, qNormal = 0, qPayday = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const n = day(seed), p = day(seed, 'payday'), f = day(seed, 'fentanyl');
      normal += count(n, checkIns);
      payday += count(p, checkIns);
      qNormal += count(n, queued);
      qPayday += count(p, queued);
      odNormal += count(n, (e) => e.type === 'incident' && e.body.kind === 'overdose');
      odFentanyl += count(f, (e) => e.type === 'incident' && e.body.kind === 'overdose');
    }
    expect(payday).toBeGreaterThan(normal * 1.2);
    expect(qPayday).toBeGreaterThan(qNormal);
    expect(odFentanyl).toBeGreaterThan(odNormal);
  });

  it('maps every command to the public HTTP contract', () => {
    expect(requestOf('sim', { at: 0, type: 'queue-leave' })).toEqual({ method: 'POST', path: '/api/sites/sim/queue', body: { op: 'leave' } });
    expect(requestOf('sim', { at: 0, type: 'staffing', onShift: 3 })).toEqual({ method: 'PUT', path: '/api/sites/sim/staffing', body: { onShift: 3 } });
    expect(requestOf('sim', { at: 0, type: 'cleaned', boothId: 'inj-1' }).path).toBe('/api/sites/sim/booths/inj-1/cleaned');
  });

  it('refuses sites not marked demo', async () => {
    const info = { id: 'real', name: 'Real', timeZone: 'Europe/Copenhagen', businessDayStart: 6, demo: false, rooms: [], load: DEFAULT_LOAD_THRESHOLDS };
    const send: Send = async () => ({ status: 200, body: [info] });
    await expect(loadDemoSite(send, 'real')).rejects.toThrow(/demo: true/);
  });
});
