import { describe, expect, it } from 'vitest';
import { AlertList } from '../../shared/alerts/schema';
import { ForecastReply } from '../../shared/forecast';
import { StaffingPlanReply } from '../../shared/staffingPlan';
import { haveRedis } from '../support/programs';
import { serverOnRedis } from '../support/serverFixture';

// Sunday 29 November 2026, 11:30 in Copenhagen; Monday the 30th is payday.
const clock = { now: Date.parse('2026-11-29T10:30:00Z') };

describe.runIf(haveRedis())('staffing plan: next hours and the next payday (issue 14)', () => {
  const { srv } = serverOnRedis({ clock: () => clock.now });
  const plan = async (query = 'hours=18') => {
    const r = await srv.send('GET', `/api/sites/alpha/staffing-plan?${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return StaffingPlanReply.parse(r.body);
  };

  it('answers per hour from now: expected intakes, booths needed, recommended and planned staff, gap', async () => {
    const config = (await srv.send('GET', '/api/sites/alpha/config')).body;
    // Two on the floor as a rule; five in the payday night (a dated change).
    const saved = await srv.send('PUT', '/api/sites/alpha/config', { ...config, staffingPlan: { default: 2, changes: [{ date: '2026-11-30', fromHour: 0, toHour: 6, staff: 5 }] } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const p = await plan();
    expect(p.hasPlan).toBe(true);
    expect(p.hours).toHaveLength(18);
    expect(p.hours[0]).toMatchObject({ start: '2026-11-29T10:00:00.000Z', date: '2026-11-29', hour: 11, position: 'before', plannedStaff: 2 });
    // 00:00 on the 30th: payday position (its own calendar date), although business day 29 Nov.
    const midnight = p.hours.find((h) => h.start === '2026-11-29T23:00:00.000Z')!;
    expect(midnight).toMatchObject({ date: '2026-11-29', hour: 0, position: 'payday', plannedStaff: 5 });
    for (const h of p.hours) {
      expect(h.gap).toBe(h.recommendedStaff - h.plannedStaff!);
      expect(h.boothsNeeded).toBeGreaterThanOrEqual(0);
      expect(h.expectedIntakes).toBeGreaterThan(0); // alpha is open 24 h
    }
    expect(midnight.expectedIntakes).toBeGreaterThan(p.hours.find((h) => h.hour === 23)!.expectedIntakes * 1.5);
    // The next payday, from the money's arrival (00:00) to the next midnight.
    expect(p.payday).toMatchObject({ date: '2026-11-30', inDays: 1, from: '2026-11-29T23:00:00.000Z', until: '2026-11-30T23:00:00.000Z', warning: false });
    expect(p.payday.hours).toHaveLength(24);
    expect(p.payday.expectedIntakes).toBeGreaterThan(200);
    expect(p.payday.peak.boothsNeeded).toBe(Math.max(...p.payday.hours.map((h) => h.boothsNeeded)));
    expect(p.payday.shortHours).toBe(p.payday.hours.filter((h) => h.gap! > 0).length);
    // The default is the next 12 hours.
    expect((await plan('')).hours).toHaveLength(12);
  });

  it('refuses a bad hours value with 400 naming hours', async () => {
    for (const q of ['hours=0', 'hours=73', 'hours=abc', 'hours=1.5']) {
      const r = await srv.send('GET', `/api/sites/alpha/staffing-plan?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.details.map((d: { path: string }) => d.path), q).toEqual(['hours']);
    }
    expect((await srv.send('GET', '/api/sites/alpha/staffing-plan?hours=12&extra=1')).status).toBe(400);
    expect((await srv.send('GET', '/api/sites/nowhere/staffing-plan')).status).toBe(404);
  });

  it('warns from 12:00 the day before payday: on the plan, and as a warning alert (wall, push)', async () => {
    clock.now = Date.parse('2026-11-29T10:59:00Z');
    await srv.app.alerts.evaluate('alpha');
    const before = AlertList.parse((await srv.send('GET', '/api/sites/alpha/alerts?state=active')).body);
    expect(before.alerts.filter((a) => a.rule === 'payday-ahead')).toEqual([]);
    clock.now = Date.parse('2026-11-29T11:00:00Z'); // 12:00 in Copenhagen
    expect((await plan()).payday.warning).toBe(true);
    await srv.app.alerts.evaluate('alpha');
    const after = AlertList.parse((await srv.send('GET', '/api/sites/alpha/alerts?state=active')).body);
    const warning = after.alerts.find((a) => a.rule === 'payday-ahead')!;
    expect(warning).toMatchObject({ severity: 'warning', state: 'firing', key: 'payday-ahead:2026-11-30' });
    expect(warning.title).toMatch(/Payday 2026-11-30: ≈\d+ intakes, \d+ staff recommended, \d+ planned/);
  });

  it('marks a silent stretch as a data gap, and the forecast leaves that day out', async () => {
    clock.now = Date.parse('2026-11-29T11:10:00Z');
    expect((await srv.send('POST', '/api/sites/alpha/booths/inj-1/check-in', { substance: 'cocaine', route: 'injection' })).status).toBe(200);
    expect((await srv.send('POST', '/api/sites/alpha/booths/inj-1/check-out', {})).status).toBe(200);
    clock.now = Date.parse('2026-11-29T11:50:00Z'); // 40 minutes without an event while traffic is expected
    await srv.app.alerts.evaluate('alpha');
    const alerts = AlertList.parse((await srv.send('GET', '/api/sites/alpha/alerts?state=active')).body);
    expect(alerts.alerts.some((a) => a.rule === 'no-data')).toBe(true);
    // Once that day is over, a forecast does not learn from it.
    clock.now = Date.parse('2026-12-02T12:00:00Z');
    const f = ForecastReply.parse((await srv.send('GET', '/api/sites/alpha/forecast?date=2026-12-06')).body);
    expect(f.excluded).toContainEqual({ date: '2026-11-29', reason: 'gap' });
    expect(f.learnedDays).toBe(0);
  });
});
