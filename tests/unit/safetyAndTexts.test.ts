import { describe, expect, it } from 'vitest';
import type { Booth, SiteInfo, Snapshot } from '../../shared/api';
import { evaluateRules, forecastGapRule, overstayRule, responderFloorRule, wallOfflineRule, type AlertInput } from '../../shared/alerts/rules';
import { AlertSettings, alertSettingsOf, RuleSettings, withSafetyRule } from '../../shared/alerts/settings';
import { alertTitle } from '../../shared/alerts/text';
import { emptyCounters } from '../../shared/counters';
import { floorFigures } from '../../shared/floorFigures';
import { DEFAULT_LOAD_THRESHOLDS, loadThresholdsOf } from '../../shared/loadLevel';
import { SitesFile } from '../../shared/siteConfig';
import { parseStoredConfig } from '../../server/sites/sites.seed';

const NOW = Date.parse('2026-11-30T20:00:00Z');
const MIN = 60_000;

describe('the responder floor is a safety rule, not a setting', () => {
  it('cannot be switched off, delayed or weakened below 1 free responder', () => {
    const paths = (rf: Record<string, unknown>) => {
      const r = AlertSettings.safeParse({ rules: { 'responder-floor': rf } });
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(paths({ enabled: false })).toEqual(['rules.responder-floor.enabled']);
    expect(paths({ minFree: -1000 })).toEqual(['rules.responder-floor.minFree']);
    expect(paths({ minFree: 0.99 })).toEqual(['rules.responder-floor.minFree']);
    expect(paths({ pendingSeconds: 60 })).toEqual(['rules.responder-floor.pendingSeconds']);
    expect(paths({ boothsPerObserver: 100, staffPerOverdose: 0, overdoseMinutes: 5 }).sort()).toEqual([
      'rules.responder-floor.boothsPerObserver',
      'rules.responder-floor.overdoseMinutes',
      'rules.responder-floor.staffPerOverdose',
    ]);
    expect(paths({ enabled: true, minFree: 2 })).toEqual([]);
  });

  it('gives every numeric threshold bounds: a huge or negative value is refused', () => {
    const defaults = alertSettingsOf(undefined);
    const checked: string[] = [];
    for (const [rule, values] of Object.entries(defaults.rules)) {
      for (const [key, value] of Object.entries(values)) {
        if (typeof value !== 'number') continue;
        for (const bad of [1e9, -1]) {
          const r = AlertSettings.safeParse({ rules: { [rule]: { [key]: bad } } });
          expect(r.success, `${rule}.${key} = ${bad}`).toBe(false);
        }
        checked.push(`${rule}.${key}`);
      }
    }
    for (const key of ['repeatMinutes', 'escalateAfterMinutes']) {
      expect(AlertSettings.safeParse({ [key]: 1e9 }).success).toBe(false);
      expect(AlertSettings.safeParse({ [key]: -1 }).success).toBe(false);
    }
    expect(checked.length).toBeGreaterThan(25);
  });

  it('is refused in a sites file too (start-up stops, naming the field)', () => {
    const site = { id: 'x', name: 'X', rooms: [{ id: 'inj', name: 'I', kind: 'injection', booths: 2 }] };
    const r = SitesFile.safeParse({ sites: [{ ...site, alerts: { rules: { 'responder-floor': { enabled: false, minFree: 0 } } } }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['sites.0.alerts.rules.responder-floor.enabled', 'sites.0.alerts.rules.responder-floor.minFree']);
  });

  it('loads a config stored before this rule with the rule on, and runs even if a setting says off', () => {
    const stored = { id: 'alpha', name: 'Alpha', rooms: [{ id: 'inj', name: 'I', kind: 'injection', booths: 2 }], alerts: { rules: { 'responder-floor': { enabled: false, minFree: -5, boothsPerObserver: 6 } } } };
    const parsed = parseStoredConfig(JSON.stringify(stored))!;
    expect(parsed.alerts?.rules['responder-floor']).toMatchObject({ enabled: true, minFree: 1, boothsPerObserver: 6, pendingSeconds: 0 });
    expect(withSafetyRule({ id: 'x' })).toEqual({ id: 'x' });
    // Defence in depth: settings that somehow say off or 0 still fire the rule.
    const rules = { ...alertSettingsOf(undefined).rules, 'responder-floor': { ...RuleSettings.parse({})['responder-floor'], enabled: false, minFree: 0 } };
    const signals = evaluateRules(input({ occupied: 2, onShift: 0 }), rules);
    expect(signals.find((s) => s.rule === 'responder-floor')).toMatchObject({ fire: 'critical', silenceable: false, detail: { threshold: 1 } });
  });
});

const booth = (id: string, label: string, state: Booth['state'], sinceMinAgo = 5): Booth => ({
  id,
  roomId: id.split('-')[0]!,
  label,
  kind: 'injection',
  state,
  since: new Date(NOW - sinceMinAgo * MIN).toISOString(),
  substance: null,
  route: null,
  assisted: false,
  reason: null,
});

function input(o: { occupied: number; onShift: number; queue?: number } & Partial<AlertInput>): AlertInput {
  const booths = Array.from({ length: 6 }, (_, i) => booth(`inj-${i + 1}`, String(i + 1), i < o.occupied ? 'occupied' : 'free'));
  return {
    now: NOW,
    snapshot: { booths, queue: o.queue ?? 0, onShift: o.onShift, occupied: o.occupied },
    rooms: [{ id: 'inj', name: 'Injektion', open: true, maxSessionMinutes: 30, boothIds: booths.map((b) => b.id) }],
    overdoses: [],
    lastEventAt: NOW - MIN,
    forecast: null,
    payday: null,
    displays: [],
    ...o,
  };
}

describe('alert texts the floor reads', () => {
  it('reads right for "nobody on shift", in both languages', () => {
    const s = alertSettingsOf(undefined).rules;
    const rf = responderFloorRule(input({ occupied: 2, onShift: 0 }), s['responder-floor'])[0]!;
    expect(alertTitle('responder-floor', rf.detail)).toBe('No free responder: nobody on shift (2 places occupied)');
    expect(alertTitle('responder-floor', rf.detail, 'da')).toBe('Ingen fri responder: ingen på vagt (2 pladser optaget)');
    const bps = evaluateRules(input({ occupied: 2, onShift: 0 }), s).find((x) => x.rule === 'booths-per-staff')!;
    expect(alertTitle('booths-per-staff', bps.detail)).toBe('2 places occupied and nobody on shift');
    expect(alertTitle('booths-per-staff', bps.detail, 'da')).toBe('2 pladser optaget og ingen på vagt');
    const short = responderFloorRule(input({ occupied: 5, onShift: 1 }), s['responder-floor'])[0]!;
    expect(alertTitle('responder-floor', short.detail)).toBe('No free responder: 1 more staff needed (1 on shift)');
  });

  it('names the limit of the alert\'s own severity', () => {
    expect(alertTitle('queue', { value: 12, threshold: 5, critical: 10 }, 'en', 'critical')).toBe('Queue 12 waiting (limit 10)');
    expect(alertTitle('queue', { value: 7, threshold: 5, critical: 10 }, 'en', 'warning')).toBe('Queue 7 waiting (limit 5)');
    expect(alertTitle('booths-per-staff', { value: 7.5, threshold: 4, critical: 6, onShift: 2, occupied: 15 }, 'en', 'critical')).toBe('7.5 occupied places per staff member (limit 6)');
  });

  it('names room and place for a welfare check, and the screen by its name', () => {
    const s = alertSettingsOf(undefined).rules;
    const i = input({ occupied: 0, onShift: 3 });
    i.snapshot = { ...i.snapshot, booths: [booth('inj-3', '3', 'occupied', 34)], occupied: 1 };
    const over = overstayRule(i, s.overstay)[0]!;
    expect(alertTitle('overstay', over.detail)).toBe('Welfare check: Injektion, place 3 occupied 34 min (max 30)');
    expect(alertTitle('overstay', over.detail, 'da')).toBe('Tilsyn: Injektion, plads 3 optaget i 34 min (maks. 30)');
    const wall = wallOfflineRule(input({ occupied: 0, onShift: 1, displays: [{ id: 'tok_123', name: 'Personalestue TV', lastSeen: NOW - 5 * MIN }] }), s['wall-offline'])[0]!;
    expect(alertTitle('wall-offline', wall.detail)).toBe('Wall screen “Personalestue TV” offline for 5 min');
  });

  it('says "than on shift" where no staffing plan exists', () => {
    const s = alertSettingsOf(undefined).rules;
    const slot = { start: NOW - 10 * MIN, expectedIntakes: 40, recommendedStaff: 6, plannedStaff: null };
    const gap = forecastGapRule(input({ occupied: 3, onShift: 2, forecast: [slot] }), s['forecast-gap'])[0]!;
    expect(alertTitle('forecast-gap', gap.detail)).toBe('Next 3 h need 4 more staff than are on shift now');
    const planned = forecastGapRule(input({ occupied: 3, onShift: 2, forecast: [{ ...slot, plannedStaff: 3 }] }), s['forecast-gap'])[0]!;
    expect(alertTitle('forecast-gap', planned.detail)).toBe('Next 3 h need 3 more staff than planned');
    expect(alertTitle('payday-ahead', { date: '2026-11-30', value: 900, recommended: 7, planned: '–' })).toBe('Payday 2026-11-30: ≈900 intakes, 7 staff recommended (no plan)');
  });
});

describe('the load level uses the site\'s thresholds, open incidents and closed rooms', () => {
  const site: Pick<SiteInfo, 'rooms' | 'timeZone' | 'load'> = {
    timeZone: 'Europe/Copenhagen',
    load: DEFAULT_LOAD_THRESHOLDS,
    rooms: [
      { id: 'inj', name: 'I', kind: 'injection', maxSessionMinutes: 30, openingHours: '24h', booths: [{ id: 'inj-1', label: '1' }, { id: 'inj-2', label: '2' }] },
      { id: 'smk', name: 'S', kind: 'inhalation', maxSessionMinutes: 20, openingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], open: '07:00', close: '20:00' }], booths: [{ id: 'smk-1', label: '1' }, { id: 'smk-2', label: '2' }] },
    ],
  };
  const snap = (over: Partial<Snapshot> = {}): Snapshot => ({
    siteId: 's',
    seq: 1,
    at: new Date(NOW).toISOString(),
    businessDate: '2026-11-30',
    booths: [booth('inj-1', '1', 'occupied'), booth('inj-2', '2', 'free'), { ...booth('smk-1', '1', 'free'), kind: 'inhalation' }, { ...booth('smk-2', '2', 'occupied'), kind: 'inhalation' }],
    queue: 0,
    onShift: 4,
    occupied: 2,
    counters: emptyCounters(),
    hourlyIntakes: Array<number>(24).fill(0),
    rooms: [],
    incidents: [],
    ...over,
  });

  it('derives thresholds from alert settings (defaults = PRODUCT.md)', () => {
    expect(loadThresholdsOf(alertSettingsOf(undefined))).toEqual(DEFAULT_LOAD_THRESHOLDS);
    expect(loadThresholdsOf(alertSettingsOf({ rules: { queue: { warning: 3, clear: 1, critical: 6 } } }))).toMatchObject({ queueBusy: 1, queueStrained: 3, queueCritical: 6 });
  });

  it('counts only open rooms\' places, open incidents and the window\'s overdoses', () => {
    // 21:00 local: the smoking room is closed; its occupied place still counts as occupied.
    const f = floorFigures(snap({ queue: 1 }), site, NOW, 20);
    expect(f.rooms.map((r) => [r.id, r.open])).toEqual([['inj', true], ['smk', false]]);
    expect([f.openPlaces, f.freePlaces]).toEqual([2, 1]);
    expect(f.waitMinutes).toBe(10); // one waiting takes the free place; the next waits for one of 2 open to turn over
    const incidents = [
      { id: '7', kind: 'overdose' as const, naloxone: true, ambulance: false, openedAt: new Date(NOW - 10 * MIN).toISOString() },
      { id: '9', kind: 'medical' as const, naloxone: false, ambulance: false, openedAt: new Date(NOW - 50 * MIN).toISOString() },
    ];
    const g = floorFigures(snap({ incidents, onShift: 4 }), site, NOW, 20);
    expect([g.overdosesRecent, g.openIncidents]).toEqual([1, 2]);
    expect(g.load).toMatchObject({ level: 'strained', factors: ['overdoseRecent', 'openIncident'] });
    // With a site that calls 3 waiting critical, the same queue reads critical.
    const strict = { ...site, load: { ...DEFAULT_LOAD_THRESHOLDS, queueCritical: 3 } };
    expect(floorFigures(snap({ queue: 3 }), strict, NOW, 20).load.level).toBe('critical');
  });
});
