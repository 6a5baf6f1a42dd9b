import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertList } from '../../shared/alerts/schema';
import type { SiteConfig } from '../../shared/siteConfig';
import { ConfigConflict, type SiteConfigChanged, type VersionedSiteConfig } from '../../shared/siteSettings';
import { serverEngines } from '../support/engines';
import { connectClient } from '../support/socketClient';
import type { TestServer } from '../support/testServer';

/** Signs in through the real endpoint; returns the session cookie. */
async function signIn(srv: TestServer, username: string, password: string): Promise<string> {
  const res = await fetch(`${srv.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return /rw_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
}
import { SECRET_PLACEHOLDER } from '../../server/sites/channelSecrets';

// Every settings test runs on the embedded engine (`npm start` without Redis) and on Redis: the
// settings script once failed on the embedded engine only.
const engines = serverEngines();
// A Wednesday, 13:00 in Copenhagen: alpha's rooms are open whatever hours the tests give them.
const WEDNESDAY_NOON = Date.parse('2025-03-12T12:00:00Z');

describe.each(engines)('site settings on $name: validated, audited, live, the store is the truth', (engine) => {
  let srv: TestServer;
  let other: TestServer | undefined;
  const clock = () => WEDNESDAY_NOON;

  beforeAll(async () => {
    if (!engine.available) return;
    srv = await engine.start({ clock });
    if (engine.shared) other = await engine.start({ clock });
  });
  afterAll(async () => {
    await other?.close();
    await srv?.close();
  });

  const config = async (): Promise<SiteConfig> => (await srv.send('GET', '/api/sites/alpha/config')).body;
  const auditCount = async () => ((await srv.send('GET', '/api/audit')).body as Array<{ action: string }>).filter((e) => e.action === 'site.config').length;

  it.runIf(engine.available)('saves the config exactly as GET returned it (no change, still 200 and audited)', async () => {
    const before = await config();
    const audits = await auditCount();
    const r = await srv.send('PUT', '/api/sites/alpha/config', before);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // The same config, one version on.
    const { version, updatedAt: _at, updatedBy: _by, ...same } = (await config()) as VersionedSiteConfig;
    const { version: was, updatedAt: _at0, updatedBy: _by0, ...sent } = before as VersionedSiteConfig;
    expect(same).toEqual(sent);
    expect(version).toBe(was + 1);
    expect(await auditCount()).toBe(audits + 1);
  });

  it.runIf(engine.available)('refuses an invalid change with 400 naming the field, and changes nothing', async () => {
    const before = await config();
    const audits = await auditCount();
    const bad = structuredClone(before) as unknown as { rooms: Array<Record<string, unknown>>; maxSessionMinutes: Record<string, unknown> };
    bad.rooms[0]!.booths = 0;
    bad.maxSessionMinutes.injection = 'long';
    const r = await srv.send('PUT', '/api/sites/alpha/config', bad);
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['maxSessionMinutes.injection', 'rooms.0.booths']);
    const fixed = await srv.send('PUT', '/api/sites/alpha/config', { ...before, timeZone: 'Europe/London' });
    expect(fixed.status).toBe(400);
    expect(fixed.body.error.details).toEqual([{ path: 'timeZone', message: 'cannot be changed in Settings' }]);
    const dup = await srv.send('PUT', '/api/sites/alpha/config', { ...before, rooms: [...before.rooms, { ...before.rooms[0]!, id: 'extra', booths: ['smk-2'] }] });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details[0].path).toBe('rooms.2.booths');
    expect(await config()).toEqual(before);
    expect(await auditCount()).toBe(audits);
    expect((await srv.send('GET', '/api/sites/alpha/snapshot')).body.booths).toHaveLength(7);
  });

  it.runIf(engine.available)('a valid change reaches an open wall screen live, is audited, and every instance reloads it', async () => {
    const wall = await connectClient(srv.baseUrl, await srv.token('display', 'display', ['alpha']));
    const got = new Promise<SiteConfigChanged>((resolve) => wall.socket.once('site:configChanged', resolve));
    expect((await wall.subscribe('alpha')).ok).toBe(true);

    const before = await config();
    const next: SiteConfig = {
      ...before,
      rooms: before.rooms.map((r) => (r.id === 'inj' ? { ...r, name: 'Fixerum', booths: 5, openingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '22:00' }] } : r)),
      staffingPlan: { default: 3, byWeekday: {}, changes: [{ date: '2025-06-30', fromHour: 18, toHour: 24, staff: 6 }] },
      paydays: { add: ['2025-06-15'], replace: {}, paymentDays: ['2025-06-20'], childBenefit: true, moneyArrivesHour: 0 },
    };
    const r = await srv.send('PUT', '/api/sites/alpha/config', next);
    expect(r.status, JSON.stringify(r.body)).toBe(200);

    const change = await got;
    expect(change.siteId).toBe('alpha');
    expect(change.site.rooms[0]).toMatchObject({ name: 'Fixerum', booths: [{ id: 'inj-1' }, { id: 'inj-2' }, { id: 'inj-3' }, { id: 'inj-4' }, { id: 'inj-5' }] });
    wall.socket.disconnect();

    // The new booth is on the floor, free; the sites list, the config and the audit log agree.
    const snap = await srv.send('GET', '/api/sites/alpha/snapshot');
    expect(snap.body.booths.find((b: { id: string }) => b.id === 'inj-5')).toMatchObject({ state: 'free' });
    expect((await srv.send('GET', '/api/sites')).body[0].rooms[0].name).toBe('Fixerum');
    expect((await config()).staffingPlan).toEqual({ default: 3, byWeekday: {}, changes: [{ date: '2025-06-30', fromHour: 18, toHour: 24, staff: 6 }] });
    const audit = ((await srv.send('GET', '/api/audit')).body as Array<{ action: string; target: string; detail: string; actor: string }>).find((e) => e.action === 'site.config')!;
    expect(audit.target).toBe('alpha');
    expect(audit.detail).toContain('rooms.0.name: "Injection" → "Fixerum"');

    // The other instance reloads from the store (told over the adapter).
    const instance = other ?? srv;
    if (other) await expect.poll(async () => (await instance.send('GET', '/api/sites')).body[0].rooms[0].name, { timeout: 3_000 }).toBe('Fixerum');
    // A booth command (on the other instance) knows the new booth.
    expect((await instance.send('POST', '/api/sites/alpha/booths/inj-5/check-in', { substance: 'cocaine', route: 'injection' })).status).toBe(200);
  });

  it.runIf(engine.available)('refuses impossible calendar dates and bad staffing changes, naming each field (issue 14)', async () => {
    const before = await config();
    const audits = await auditCount();
    const r = await srv.send('PUT', '/api/sites/alpha/config', {
      ...before,
      paydays: { add: ['2026-02-30'], replace: { '2026-13': '2026-12-22' }, paymentDays: ['2026-06-31'], moneyArrivesHour: 25 },
      staffingPlan: { default: 3, changes: [{ date: '2026-02-30', staff: 4 }, { date: '2026-11-30', fromHour: 20, toHour: 18, staff: 6 }, { date: '2026-12-24', staff: -1 }] },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'paydays.add.0',
      'paydays.moneyArrivesHour',
      'paydays.paymentDays.0',
      'paydays.replace.2026-13',
      'staffingPlan.changes.0.date',
      'staffingPlan.changes.1.toHour',
      'staffingPlan.changes.2.staff',
    ]);
    expect(await config()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it.runIf(engine.available)('keeps booth ids stable: removing an occupied booth is 409 and changes nothing', async () => {
    const before = await config();
    const fewer = { ...before, rooms: before.rooms.map((r) => (r.id === 'inj' ? { ...r, booths: 4 } : r)) };
    const r = await srv.send('PUT', '/api/sites/alpha/config', fewer);
    expect(r.status).toBe(409);
    expect(r.body.error.details.current.occupied).toEqual(['inj-5']);
    expect(await config()).toEqual(before);
    await srv.send('POST', '/api/sites/alpha/booths/inj-5/check-out');
    await srv.send('POST', '/api/sites/alpha/booths/inj-5/cleaned');
    expect((await srv.send('PUT', '/api/sites/alpha/config', fewer)).status).toBe(200);
    expect((await srv.send('GET', '/api/sites/alpha/snapshot')).body.booths).toHaveLength(7);
  });

  it.runIf(engine.available && engine.shared)('the stored config wins over the sites file at the next start', async () => {
    const again = await engine.start({ clock });
    try {
      expect((await again.send('GET', '/api/sites')).body[0].rooms[0].name).toBe('Fixerum');
    } finally {
      await again.close();
    }
  });

  it.runIf(engine.available)('refuses a save based on an old version with 412, saying who changed what, and changes nothing', async () => {
    const loaded = await srv.send('GET', '/api/sites/alpha/config');
    const base = loaded.body as VersionedSiteConfig;
    expect(loaded.status).toBe(200);
    expect(base.version).toBeGreaterThan(0); // earlier tests saved
    const etag = (await fetch(`${srv.baseUrl}/api/sites/alpha/config`, { headers: { authorization: `Bearer ${srv.adminToken}` } })).headers.get('etag');
    expect(etag).toBe(`"${base.version}"`);

    // Mette saves the site name (If-Match, as the ETag came)…
    await srv.send('POST', '/api/users', { username: 'mette', displayName: 'Mette Søndergaard-Christiansen', password: 'mette-password-1', role: 'manager', sites: ['alpha'] });
    const mette = await signIn(srv, 'mette', 'mette-password-1');
    const first = await srv.send('PUT', '/api/sites/alpha/config', { ...base, name: 'Alpha Vesterbro' }, { cookie: mette, authorization: '', 'if-match': `"${base.version}"` });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ version: base.version + 1, updatedBy: 'Mette Søndergaard-Christiansen', name: 'Alpha Vesterbro' });

    // …then the admin, still on the version he loaded, saves the smoking room's name: 412.
    const audits = await auditCount();
    const stale = await srv.send('PUT', '/api/sites/alpha/config', { ...base, rooms: base.rooms.map((r) => (r.id === 'smk' ? { ...r, name: 'Rygerum' } : r)) });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('precondition_failed');
    const conflict = ConfigConflict.parse(stale.body.error.details);
    expect(conflict.current).toMatchObject({ version: base.version + 1, name: 'Alpha Vesterbro' });
    expect(conflict.complete).toBe(true);
    expect(conflict.changes).toEqual([
      { version: base.version + 1, by: 'Mette Søndergaard-Christiansen', at: expect.any(String), changes: [{ path: 'name', before: JSON.stringify(base.name), after: '"Alpha Vesterbro"' }] },
    ]);
    expect(stale.body.error.message).toContain('Mette Søndergaard-Christiansen');
    expect((await config()).rooms.find((r) => r.id === 'smk')!.name).toBe(base.rooms.find((r) => r.id === 'smk')!.name);
    expect(await auditCount()).toBe(audits);

    // The same with If-Match instead of the body's version; a malformed one is a 400.
    const byHeader = await srv.send('PUT', '/api/sites/alpha/config', { ...base, version: undefined }, { 'if-match': `"${base.version}"` });
    expect(byHeader.status).toBe(412);
    expect((await srv.send('PUT', '/api/sites/alpha/config', base, { 'if-match': 'yesterday' })).status).toBe(400);

    // Reloaded, the change goes through on top of Mette's.
    const fresh = (await srv.send('GET', '/api/sites/alpha/config')).body as VersionedSiteConfig;
    const ok = await srv.send('PUT', '/api/sites/alpha/config', { ...fresh, rooms: fresh.rooms.map((r) => (r.id === 'smk' ? { ...r, name: 'Rygerum' } : r)) });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ version: fresh.version + 1, name: 'Alpha Vesterbro' });
    expect(ok.body.rooms.find((r: { id: string }) => r.id === 'smk').name).toBe('Rygerum');
  });

  it.runIf(engine.available)('two managers saving at the same moment: exactly one wins, the other gets 412', async () => {
    const base = (await srv.send('GET', '/api/sites/alpha/config')).body as VersionedSiteConfig;
    const [a, b] = await Promise.all([
      srv.send('PUT', '/api/sites/alpha/config', { ...base, name: 'Alpha A' }),
      (other ?? srv).send('PUT', '/api/sites/alpha/config', { ...base, name: 'Alpha B' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const winner = a.status === 200 ? 'Alpha A' : 'Alpha B';
    expect((await config()).name).toBe(winner);
  });

  it.runIf(engine.available)('a retried save (same Idempotency-Key) gets its first answer, not a 412 against itself', async () => {
    const base = (await srv.send('GET', '/api/sites/alpha/config')).body as VersionedSiteConfig;
    const body = { ...base, name: 'Alpha (retried)' };
    const first = await srv.send('PUT', '/api/sites/alpha/config', body, { 'Idempotency-Key': 'settings-retry-0001' });
    const again = await srv.send('PUT', '/api/sites/alpha/config', body, { 'Idempotency-Key': 'settings-retry-0001' });
    expect(first.status).toBe(200);
    expect(again).toEqual(first);
    expect(((await config()) as VersionedSiteConfig).version).toBe(base.version + 1);
  });
});

describe.each(engines)('alert thresholds in the site settings on $name (issue 8: "change a threshold in a minute")', (engine) => {
  let srv: TestServer;
  let now = WEDNESDAY_NOON;
  const clock = () => now;
  const advance = (minutes: number) => (now += minutes * 60_000);

  beforeAll(async () => {
    if (!engine.available) return;
    srv = await engine.start({ clock });
    // Evaluation is driven by hand, on the controlled clock.
    await srv.app.alerts.stop();
  });
  afterAll(async () => {
    await srv?.close();
  });

  const config = async (): Promise<SiteConfig> => (await srv.send('GET', '/api/sites/alpha/config')).body;
  const evaluate = async () => {
    await srv.app.alerts.evaluate('alpha');
    await srv.app.alerts.settled();
  };
  const auditCount = async () => ((await srv.send('GET', '/api/audit?limit=1000')).body as Array<{ action: string }>).filter((e) => e.action === 'site.config').length;
  const queueAlert = async () =>
    AlertList.parse((await srv.send('GET', '/api/sites/alpha/alerts?state=active')).body).alerts.find((a) => a.rule === 'queue');

  it.runIf(engine.available)('refuses thresholds that could never clear, naming the field, and changes nothing', async () => {
    const before = await config();
    const bad = { ...before, alerts: { rules: { queue: { warning: 4, clear: 4 }, occupancy: { warning: 1.5 } } } };
    const r = await srv.send('PUT', '/api/sites/alpha/config', bad);
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['alerts.rules.occupancy.warning', 'alerts.rules.queue.clear']);
    expect(await config()).toEqual(before);
  });

  it.runIf(engine.available)('stores a lower queue threshold, audits and pushes it, and the alert engine fires at the new level', async () => {
    expect((await srv.send('PUT', '/api/sites/alpha/staffing', { onShift: 10 })).status).toBe(200);
    expect((await srv.send('POST', '/api/sites/alpha/queue', { op: 'set', count: 4 })).status).toBe(200);
    // 4 waiting is below the default warning threshold (5): nothing, however long it lasts.
    await evaluate();
    advance(5);
    await evaluate();
    expect(await queueAlert()).toBeUndefined();

    const screen = await connectClient(srv.baseUrl, await srv.token('display', 'display', ['alpha']));
    const pushed = new Promise<SiteConfigChanged>((resolve) => screen.socket.once('site:configChanged', resolve));
    expect((await screen.subscribe('alpha')).ok).toBe(true);

    const before = await config();
    const r = await srv.send('PUT', '/api/sites/alpha/config', { ...before, alerts: { rules: { queue: { warning: 3, clear: 1, pendingSeconds: 60 } } } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await pushed).siteId).toBe('alpha');
    screen.socket.disconnect();

    // Stored with every default filled in; the alert settings view agrees.
    const stored = await config();
    expect(stored.alerts?.rules.queue).toMatchObject({ warning: 3, clear: 1, pendingSeconds: 60, critical: 10, criticalClear: 5, enabled: true });
    expect(stored.alerts?.repeatMinutes).toBe(10);
    expect((await srv.send('GET', '/api/sites/alpha/alerts/settings')).body.rules.queue).toMatchObject({ warning: 3, clear: 1, pendingSeconds: 60 });
    // Audited as the changed fields only (compared with the defaults), not every default.
    const audit = ((await srv.send('GET', '/api/audit')).body as Array<{ action: string; target: string; detail: string }>).find((e) => e.action === 'site.config')!;
    expect(audit.target).toBe('alpha');
    expect(audit.detail.split('; ').sort()).toEqual([
      'alerts.rules.queue.clear: 3 → 1',
      'alerts.rules.queue.pendingSeconds: 180 → 60',
      'alerts.rules.queue.warning: 5 → 3',
    ]);

    // The engine uses it at once: the same 4 waiting is now pending, and fires after the new 1 minute.
    await evaluate();
    expect(await queueAlert()).toMatchObject({ state: 'pending' });
    advance(1);
    await evaluate();
    expect(await queueAlert()).toMatchObject({ state: 'firing', severity: 'warning', detail: { value: 4, threshold: 3 } });
    // …and clears below the new clear threshold.
    expect((await srv.send('POST', '/api/sites/alpha/queue', { op: 'set', count: 1 })).status).toBe(200);
    await evaluate();
    expect(await queueAlert()).toMatchObject({ state: 'firing' });
    expect((await srv.send('POST', '/api/sites/alpha/queue', { op: 'set', count: 0 })).status).toBe(200);
    await evaluate();
    expect(await queueAlert()).toBeUndefined();
  });

  it.runIf(engine.available)('never shows or audits a webhook secret, and keeps it when the form sends the placeholder back', async () => {
    const secret = 'a-very-secret-signing-key-0123';
    const before = await config();
    const withHook = {
      ...before,
      alerts: { ...(before.alerts ?? {}), channels: [{ id: 'ops-hook', type: 'webhook', url: 'http://127.0.0.1:9/hook', secret, format: 'json' }] },
    };
    expect((await srv.send('PUT', '/api/sites/alpha/config', withHook)).status).toBe(200);
    const shown = await config();
    const hook = shown.alerts!.channels.find((c) => c.id === 'ops-hook') as { secret: string };
    expect(hook.secret).toBe(SECRET_PLACEHOLDER);
    expect(JSON.stringify(shown)).not.toContain(secret);
    // the settings form saves what it was shown: the stored secret stays
    expect((await srv.send('PUT', '/api/sites/alpha/config', { ...shown, rooms: shown.rooms })).status).toBe(200);
    const stored = JSON.parse((await srv.store.redis.get('rw:{alpha}:config'))!);
    expect(stored.alerts.channels[0].secret).toBe(secret);
    const audit = JSON.stringify((await srv.send('GET', '/api/audit?limit=1000')).body);
    expect(audit).not.toContain(secret);
    // an unknown channel cannot borrow a secret with the placeholder
    const latest = await config();
    const stranger = { ...latest, alerts: { ...latest.alerts!, channels: [{ id: 'new-hook', type: 'webhook', url: 'http://127.0.0.1:9/x', secret: SECRET_PLACEHOLDER, format: 'json' }] } };
    const refused = await srv.send('PUT', '/api/sites/alpha/config', stranger);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].path).toBe('alerts.channels.0.secret');
  });

  it.runIf(engine.available)('never lets the responder floor be switched off or weakened: 400 naming the field, nothing changed, and it still fires', async () => {
    const before = await config();
    const audits = await auditCount();
    const attempts: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ enabled: false }, 'enabled', /safety rule: it cannot be switched off/],
      [{ minFree: -1000 }, 'minFree', /safety rule: it must fire below at least 1 free responder/],
      [{ minFree: 0.5 }, 'minFree', /at least 1 free responder/],
      [{ pendingSeconds: 600 }, 'pendingSeconds', /fires at once/],
      [{ boothsPerObserver: 50 }, 'boothsPerObserver', /.+/],
      [{ staffPerOverdose: 0 }, 'staffPerOverdose', /.+/],
      [{ overdoseMinutes: 1 }, 'overdoseMinutes', /.+/],
    ];
    for (const [change, field, message] of attempts) {
      const rules = { ...(before.alerts?.rules ?? {}), 'responder-floor': { ...(before.alerts?.rules?.['responder-floor'] ?? {}), ...change } };
      const r = await srv.send('PUT', '/api/sites/alpha/config', { ...before, alerts: { ...(before.alerts ?? {}), rules } });
      expect(r.status, JSON.stringify(change)).toBe(400);
      expect(r.body.error.details).toEqual([{ path: `alerts.rules.responder-floor.${field}`, message: expect.stringMatching(message) }]);
    }
    expect(await config()).toEqual(before);
    expect(await auditCount()).toBe(audits);

    // The floor of the bug report: 2 occupied places, nobody on shift — a safety alert at once.
    expect((await srv.send('PUT', '/api/sites/alpha/staffing', { onShift: 0 })).status).toBe(200);
    for (const b of ['inj-1', 'inj-2']) expect((await srv.send('POST', `/api/sites/alpha/booths/${b}/check-in`, { substance: 'heroin', route: 'injection' })).status).toBe(200);
    await evaluate();
    const alerts = AlertList.parse((await srv.send('GET', '/api/sites/alpha/alerts?state=active')).body).alerts;
    const floor = alerts.find((a) => a.rule === 'responder-floor');
    expect(floor).toMatchObject({ state: 'firing', severity: 'critical', silenceable: false, detail: { onShift: 0, occupied: 2 } });
    expect(floor!.title).toBe('No free responder: nobody on shift (2 places occupied)');
    expect(alerts.find((a) => a.rule === 'booths-per-staff')?.title ?? '2 places occupied and nobody on shift').toBe('2 places occupied and nobody on shift');
    for (const b of ['inj-1', 'inj-2']) await srv.send('POST', `/api/sites/alpha/booths/${b}/check-out`);
  });

  it.runIf(engine.available)('bounds every threshold: absurd values are refused with the field named', async () => {
    const before = await config();
    const r = await srv.send('PUT', '/api/sites/alpha/config', {
      ...before,
      alerts: { rules: { 'no-data': { minutes: 0 }, 'booths-per-staff': { critical: 1000 }, 'wall-offline': { forgetAfterHours: 100_000 } }, repeatMinutes: -5 },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'alerts.repeatMinutes',
      'alerts.rules.booths-per-staff.critical',
      'alerts.rules.no-data.minutes',
      'alerts.rules.wall-offline.forgetAfterHours',
    ]);
    expect(await config()).toEqual(before);
  });
});
