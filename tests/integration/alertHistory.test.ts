import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertHistory } from '../../shared/alerts/history';
import type { Alert } from '../../shared/alerts/schema';
import type { AuditEntry } from '../../shared/auth';
import { haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { send, startTestServer, type TestServer } from '../support/testServer';

/** Splits RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe.skipIf(!haveRedis())('alert history, its CSV and acknowledgements in the audit log', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let lead: string;
  let now = Date.parse('2026-01-20T21:30:00Z'); // 22:30 in Copenhagen: the evening runs past midnight
  const clock = () => now;
  const advance = (minutes: number) => (now += minutes * 60_000);
  const A = '/api/sites/alpha';

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url, clock, handoverTickMs: 0 });
    lead = await srv.token('api', 'lead', ['alpha']);
  });
  afterAll(async () => {
    await srv?.close();
    await redis?.destroy();
  });

  const evaluate = () => srv.app.alerts.evaluate('alpha');
  const asLead = (method: 'GET' | 'POST', path: string, body?: unknown) => send(srv.baseUrl, method, path, body, { authorization: `Bearer ${lead}` });

  it('lists every fired alert with its times, acknowledgement and durations, and the CSV says the same', async () => {
    // An overdose cluster (critical, fires at once), acknowledged with a comment 4 minutes later.
    await srv.send('PUT', `${A}/staffing`, { onShift: 9 });
    for (let i = 0; i < 2; i++) await srv.send('POST', `${A}/incidents`, { kind: 'overdose', naloxone: true });
    await evaluate();
    const cluster = ((await srv.send('GET', `${A}/alerts?state=active`)).body.alerts as Alert[]).find((a) => a.rule === 'overdose-cluster')!;
    expect(cluster.state).toBe('firing');
    advance(4);
    const comment = 'Two staff with the person, ambulance called, 112: "ok"';
    expect((await asLead('POST', `${A}/alerts/${cluster.id}/ack`, { comment })).status).toBe(200);
    // Repeating the ack changes nothing and is not logged twice.
    expect((await asLead('POST', `${A}/alerts/${cluster.id}/ack`, { comment })).status).toBe(200);

    // A queue of 15 for 3 minutes fires a critical queue alert; nobody acknowledges it; it clears after midnight.
    await srv.send('POST', `${A}/queue`, { op: 'set', count: 15 });
    await evaluate();
    advance(3);
    await evaluate();
    advance(90);
    await srv.send('POST', `${A}/queue`, { op: 'set', count: 0 });
    await evaluate();

    const all = ((await srv.send('GET', `${A}/alerts?state=all`)).body.alerts as Alert[]).filter((a) => a.firedAt !== null);
    expect(all.map((a) => a.rule).sort()).toEqual(expect.arrayContaining(['overdose-cluster', 'queue']));

    const r = await asLead('GET', `${A}/alerts/history?from=2026-01-20&to=2026-01-20`);
    expect(r.status).toBe(200);
    const history = AlertHistory.parse(r.body);
    expect(history.rows.map((x) => x.id).sort()).toEqual(all.map((a) => a.id).sort());
    for (const row of history.rows) {
      const stored = all.find((a) => a.id === row.id)!;
      expect(row).toMatchObject({ rule: stored.rule, severity: stored.severity, openedAt: stored.pendingAt, firedAt: stored.firedAt, resolvedAt: stored.resolvedAt });
      expect(row.acknowledgedBy).toBe(stored.acknowledged?.by ?? null);
      expect(row.comment).toBe(stored.acknowledged?.comment ?? null);
    }
    const clusterRow = history.rows.find((x) => x.id === cluster.id)!;
    expect(clusterRow.ackMinutes).toBe(4);
    expect(clusterRow.comment).toBe(comment);
    const queueRow = history.rows.find((x) => x.rule === 'queue')!;
    expect(queueRow).toMatchObject({ acknowledgedAt: null, ackMinutes: null, open: false });
    expect(queueRow.firingMinutes).toBe(90);
    expect(history.totals).toMatchObject({ alerts: history.rows.length, acknowledged: 1, medianAckMinutes: 4 });

    // Filters.
    const notAcked = AlertHistory.parse((await asLead('GET', `${A}/alerts/history?from=2026-01-20&to=2026-01-20&acknowledged=no`)).body);
    expect(notAcked.rows.every((x) => x.acknowledgedAt === null)).toBe(true);
    expect(notAcked.rows.some((x) => x.id === cluster.id)).toBe(false);
    const onlyQueue = AlertHistory.parse((await asLead('GET', `${A}/alerts/history?from=2026-01-20&to=2026-01-20&rule=queue&severity=critical`)).body);
    expect(onlyQueue.rows.map((x) => x.id)).toEqual([queueRow.id]);
    // Another business day holds none of them.
    expect(AlertHistory.parse((await asLead('GET', `${A}/alerts/history?from=2026-01-21&to=2026-01-21`)).body).rows).toEqual([]);

    // The CSV: a header and one line per row, the same fields.
    const csv = await fetch(`${srv.baseUrl}${A}/alerts.csv?from=2026-01-20&to=2026-01-20`, { headers: { authorization: `Bearer ${srv.adminToken}` } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = parseCsv(await csv.text());
    expect(lines[0]).toEqual(['id', 'rule', 'severity', 'title', 'opened', 'fired', 'acknowledged', 'acknowledged_by', 'comment', 'resolved', 'firing_minutes', 'minutes_to_acknowledge']);
    expect(lines).toHaveLength(history.rows.length + 1);
    for (const row of history.rows) {
      const line = lines.find((l) => l[0] === row.id)!;
      expect(line.slice(1, 3)).toEqual([row.rule, row.severity]);
      expect(line.slice(4)).toEqual([row.openedAt, row.firedAt ?? '', row.acknowledgedAt ?? '', row.acknowledgedBy ?? '', row.comment ?? '', row.resolvedAt ?? '', row.firingMinutes === null ? '' : String(row.firingMinutes), row.ackMinutes === null ? '' : String(row.ackMinutes)]);
    }
    // Leads read the page; the export is for managers.
    expect((await asLead('GET', `${A}/alerts.csv?from=2026-01-20&to=2026-01-20`)).status).toBe(403);
  });

  it('writes each acknowledgement to the audit log, once', async () => {
    const audit = (await srv.send('GET', '/api/audit?limit=1000')).body as AuditEntry[];
    const acks = audit.filter((e) => e.action === 'alert.ack');
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatchObject({ target: expect.stringMatching(/^alpha\/alert\/\d+$/), detail: expect.stringContaining('Two staff with the person') });
    expect(acks[0]!.actor).toMatch(/.+/);
  });

  it('refuses a bad range with 400 naming the fields', async () => {
    const bad = await asLead('GET', `${A}/alerts/history?from=2026-02-30&to=2026-01-01&severity=loud&extra=1`);
    expect(bad.status).toBe(400);
    const paths = (bad.body.error.details as Array<{ path: string }>).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['from', 'severity']));
    const reversed = await asLead('GET', `${A}/alerts/history?from=2026-01-10&to=2026-01-01`);
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.details).toEqual([expect.objectContaining({ path: 'to' })]);
    expect((await asLead('GET', `${A}/alerts/history?from=2026-01-01&to=2026-06-01`)).status).toBe(400);
  });
});
