import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_COLUMNS } from '../../shared/history';
import { haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startTestServer, type TestServer } from '../support/testServer';
import { attackTable } from '../support/disclosureAttack';

// February 2025 at Alpha (Copenhagen, UTC+1): day k has k % 4 heroin and one cocaine-smoking
// intake (assisted on even days), one registration, a walk-away on the 10th, and on the 14th an
// overdose with naloxone and an ambulance.
const localNoon = (day: number, minute = 0) => Date.UTC(2025, 1, day, 11, minute);

describe.skipIf(!haveRedis())('monthly report CSV', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let now = localNoon(1);
  const intakes: number[] = [];

  const ok = async (method: 'POST', path: string, body?: unknown) => {
    const r = await srv.send(method, path, body);
    expect(r.status, `${path} ${JSON.stringify(r.body)}`).toBeLessThan(300);
  };

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url, clock: () => now });
    for (let day = 1; day <= 28; day++) {
      let minute = 0;
      const at = () => (now = localNoon(day, minute++));
      const heroin = day % 4;
      for (let i = 0; i < heroin; i++) {
        at();
        await ok('POST', '/api/sites/alpha/booths/inj-1/check-in', { substance: 'heroin', route: 'injection' });
        now += 10 * 60_000; // a 10-minute session
        await ok('POST', '/api/sites/alpha/booths/inj-1/check-out');
        await ok('POST', '/api/sites/alpha/booths/inj-1/cleaned');
      }
      at();
      await ok('POST', '/api/sites/alpha/booths/smk-1/check-in', { substance: 'cocaine', route: 'inhalation', assisted: day % 2 === 0 });
      now += 20 * 60_000;
      await ok('POST', '/api/sites/alpha/booths/smk-1/check-out');
      await ok('POST', '/api/sites/alpha/booths/smk-1/cleaned');
      await ok('POST', '/api/sites/alpha/registrations', {});
      if (day === 10) {
        await ok('POST', '/api/sites/alpha/queue', { op: 'join' });
        await ok('POST', '/api/sites/alpha/queue', { op: 'leave' });
      }
      if (day === 14) await ok('POST', '/api/sites/alpha/incidents', { kind: 'overdose', naloxone: true, ambulance: true });
      intakes.push(heroin + 1);
    }
  });
  afterAll(async () => {
    await srv?.close();
    await redis?.destroy();
  });

  const fetchCsv = async (query: string) => {
    const res = await fetch(`${srv.baseUrl}/api/sites/alpha/report.csv?${query}`, { headers: { authorization: `Bearer ${srv.adminToken}` } });
    const text = await res.text();
    const rows = text.trimEnd().split('\r\n').map((l) => l.split(','));
    return { res, text, rows, col: (name: string) => rows[0]!.indexOf(name) };
  };

  it('has a row per day and a total row with the indicators, as an attachment', async () => {
    const { res, text, rows, col } = await fetchCsv('from=2025-02-01&to=2025-02-28');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="roomwatch-alpha-2025-02-01-2025-02-28.csv"');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(rows[0]).toEqual(['date', ...REPORT_COLUMNS.map((c) => c.key)]);
    expect(rows[0]).toEqual(expect.arrayContaining(['intakes_heroin', 'intakes_cocaine', 'route_injection', 'route_inhalation', 'assisted', 'overdoses', 'naloxone', 'ambulance_calls', 'other_incidents', 'registrations', 'walk_aways', 'mean_session_minutes', 'peak_occupancy', 'peak_queue']));
    expect(rows).toHaveLength(1 + 28 + 1);
    expect(rows[1]![0]).toBe('2025-02-01');
    expect(rows[1]![col('intakes')]).toBe('2');
    // Day 3: three 10-minute heroin sessions and one 20-minute smoking session → 12.5 min.
    expect(rows[3]![col('mean_session_minutes')]).toBe('12.5');
    const total = rows.at(-1)!;
    const sum = intakes.reduce((a, b) => a + b, 0);
    expect(total[0]).toBe('total');
    expect(total[col('intakes')]).toBe(String(sum));
    expect(total[col('intakes_cocaine')]).toBe('28');
    expect(total[col('intakes_heroin')]).toBe(String(sum - 28));
    expect(total[col('route_inhalation')]).toBe('28');
    expect(total[col('assisted')]).toBe('14');
    expect(total[col('registrations')]).toBe('28');
    expect(total[col('overdoses')]).toBe('1');
    expect(total[col('naloxone')]).toBe('1');
    expect(total[col('ambulance_calls')]).toBe('1');
    expect(total[col('walk_aways')]).toBe('1');
    expect(total[col('peak_occupancy')]).toBe('1');
    expect(total[col('peak_queue')]).toBe('1');
    // Mean over the month: every session's minutes over every check-out.
    const minutes = (sum - 28) * 10 + 28 * 20;
    expect(Number(total[col('mean_session_minutes')])).toBeCloseTo(minutes / sum, 1);
    // Day rows add up to the total.
    const dayRows = rows.slice(1, -1);
    expect(dayRows.reduce((n, r) => n + Number(r[col('intakes')]), 0)).toBe(sum);
  });

  it('suppresses small counts as <N, totals too, but shows zero and large counts', async () => {
    const { rows, col } = await fetchCsv('from=2025-02-01&to=2025-02-28&suppressBelow=5');
    const day1 = rows[1]!;
    expect(day1[col('intakes')]).toBe('<5'); // 2
    expect(day1[col('overdoses')]).toBe('0');
    expect(day1[col('mean_session_minutes')]).toBe('<5'); // from only 2 sessions
    const total = rows.at(-1)!;
    // Every day has exactly one cocaine intake (each <5): with the month's 28 published, 28 cells of
    // at least 1 would all be 1. So the totals of intakes, cocaine and smoking are withheld too.
    // Likewise one registration a day.
    expect([total[col('intakes')], total[col('intakes_cocaine')], total[col('route_inhalation')], total[col('registrations')]]).toEqual(['x', 'x', 'x', 'x']);
    expect(total[col('overdoses')]).toBe('<5');
    expect(total[col('ambulance_calls')]).toBe('<5');
    expect(total[col('mean_session_minutes')]).not.toContain('<');
    expect(rows.flat().some((c) => /^[1-4]$/.test(c))).toBe(false);
    // Nothing hidden can be worked back from the totals and the other cells (issue 14).
    const attack = await attackTable(rows, 5);
    expect(attack.hidden).toBeGreaterThan(28);
    expect(attack.pinned).toEqual([]);
  });

  it('refuses a bad range or threshold with 400 naming the field', async () => {
    const bad = await srv.send('GET', '/api/sites/alpha/report.csv?from=2025-02-01&to=2025-01-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('to');
    const threshold = await srv.send('GET', '/api/sites/alpha/report.csv?from=2025-02-01&to=2025-02-28&suppressBelow=abc');
    expect(threshold.body.error.details[0].path).toBe('suppressBelow');
    // With 2, "<2" could only mean 1.
    const two = await srv.send('GET', '/api/sites/alpha/report.csv?from=2025-02-01&to=2025-02-28&suppressBelow=2');
    expect(two.status).toBe(400);
    expect(two.body.error.details[0].path).toBe('suppressBelow');
  });
});
