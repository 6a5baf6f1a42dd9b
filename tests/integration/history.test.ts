import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessSlot } from '../../shared/businessTime';
import { HistoryReply, type HistoryBucket } from '../../shared/history';
import { haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startTestServer, type TestServer } from '../support/testServer';

// Alpha counts in Europe/Copenhagen from 06:00. The week holds the autumn change (Sunday
// 2025-10-26, 03:00 CEST → 02:00 CET: the clock hour 02 happens twice, business day of the
// 25th has 25 hours).
const TZ = 'Europe/Copenhagen';
const START = Date.parse('2025-10-22T04:00:00Z'); // 06:00 local, business day 2025-10-22
const END = Date.parse('2025-10-29T04:00:00Z');
const STEP_MS = 37 * 60_000;

type Tally = { intakes: number; checkouts: number; registrations: number; overdose: number; naloxone: number; sessionMs: number };
const zero = (): Tally => ({ intakes: 0, checkouts: 0, registrations: 0, overdose: 0, naloxone: 0, sessionMs: 0 });

describe.skipIf(!haveRedis())('history API from the stored counters', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  let now = START;
  const days = new Map<string, Tally>();
  const hours = new Map<string, Tally>();
  let doubledHourEvents = 0;

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url, clock: () => now });
    // One command every 37 minutes for a week, cycling through a session, a registration and
    // an overdose; the expected buckets come from each instant's business slot.
    let i = 0;
    let checkedInAt = 0;
    for (now = START; now < END; now += STEP_MS, i++) {
      const slot = businessSlot(now, TZ, 6);
      const day = days.get(slot.date) ?? zero();
      const hour = hours.get(`${slot.date}:${slot.hour}`) ?? zero();
      days.set(slot.date, day);
      hours.set(`${slot.date}:${slot.hour}`, hour);
      const add = (k: keyof Tally, by = 1) => {
        day[k] += by;
        hour[k] += by;
      };
      if (now >= Date.parse('2025-10-26T00:00:00Z') && now < Date.parse('2025-10-26T02:00:00Z')) doubledHourEvents++;
      let r;
      switch (i % 5) {
        case 0:
          r = await srv.send('POST', '/api/sites/alpha/booths/inj-1/check-in', { substance: 'heroin', route: 'injection' });
          checkedInAt = now;
          add('intakes');
          break;
        case 1:
          r = await srv.send('POST', '/api/sites/alpha/booths/inj-1/check-out');
          add('checkouts');
          add('sessionMs', now - checkedInAt);
          break;
        case 2:
          r = await srv.send('POST', '/api/sites/alpha/booths/inj-1/cleaned');
          break;
        case 3:
          r = await srv.send('POST', '/api/sites/alpha/registrations', {});
          add('registrations');
          break;
        default:
          r = await srv.send('POST', '/api/sites/alpha/incidents', { kind: 'overdose', naloxone: true });
          add('overdose');
          add('naloxone');
      }
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    }
  });
  afterAll(async () => {
    await srv?.close();
    await redis?.destroy();
  });

  const pick = (b: HistoryBucket): Tally => ({
    intakes: b.counters.intakes,
    checkouts: b.counters.checkouts,
    registrations: b.counters.registrations,
    overdose: b.counters.incidents.overdose,
    naloxone: b.counters.naloxone,
    sessionMs: Math.round(b.counters.sessionMinutesTotal * 60_000),
  });

  it('day buckets equal the sum of the events of each business day over a DST week', async () => {
    const r = await srv.send('GET', '/api/sites/alpha/history?from=2025-10-21&to=2025-10-29&bucket=day');
    expect(r.status).toBe(200);
    const reply = HistoryReply.parse(r.body);
    expect(reply.buckets.map((b) => b.date)).toEqual(['2025-10-21', '2025-10-22', '2025-10-23', '2025-10-24', '2025-10-25', '2025-10-26', '2025-10-27', '2025-10-28', '2025-10-29']);
    for (const b of reply.buckets) {
      const want = days.get(b.date) ?? zero();
      // Session minutes are stored in ms and read back rounded to 0.1 min.
      expect({ ...pick(b), sessionMs: 0 }, b.date).toEqual({ ...want, sessionMs: 0 });
      expect(Math.abs(pick(b).sessionMs - want.sessionMs)).toBeLessThanOrEqual(3_000);
    }
    // The 25-hour business day holds more events than its neighbours' 24 hours would.
    expect(doubledHourEvents).toBeGreaterThan(1);
  });

  it('hour buckets equal the events of each clock hour; the repeated 02 holds both, and they add up to the day', async () => {
    const r = await srv.send('GET', '/api/sites/alpha/history?from=2025-10-22&to=2025-10-28&bucket=hour');
    const reply = HistoryReply.parse(r.body);
    expect(reply.buckets).toHaveLength(7 * 24);
    expect(reply.buckets[0]).toMatchObject({ date: '2025-10-22', hour: 6 });
    for (const b of reply.buckets) {
      const want = hours.get(`${b.date}:${b.hour}`) ?? zero();
      expect(pick(b).intakes + pick(b).registrations + pick(b).overdose, `${b.date} ${b.hour}`).toBe(want.intakes + want.registrations + want.overdose);
      expect(pick(b).checkouts).toBe(want.checkouts);
    }
    const repeated = reply.buckets.find((b) => b.date === '2025-10-25' && b.hour === 2)!;
    const events = (t: Tally) => t.intakes + t.checkouts + t.registrations + t.overdose;
    expect(events(pick(repeated))).toBeGreaterThan(1);
    for (const date of [...days.keys()]) {
      const sum = reply.buckets.filter((b) => b.date === date).reduce((n, b) => n + b.counters.intakes, 0);
      expect(sum, date).toBe(days.get(date)!.intakes);
    }
  });

  it('refuses a bad range with 400 naming the field', async () => {
    const backwards = await srv.send('GET', '/api/sites/alpha/history?from=2025-10-28&to=2025-10-22');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details).toEqual([{ path: 'to', message: 'must not be before from' }]);
    const longHours = await srv.send('GET', '/api/sites/alpha/history?from=2025-01-01&to=2025-03-01&bucket=hour');
    expect(longHours.status).toBe(400);
    expect(longHours.body.error.details[0].path).toBe('to');
    const longDays = await srv.send('GET', '/api/sites/alpha/history?from=2024-01-01&to=2025-03-01');
    expect(longDays.status).toBe(400);
    const badDate = await srv.send('GET', '/api/sites/alpha/history?from=2025-02-30&to=2025-03-01');
    expect(badDate.body.error.details[0].path).toBe('from');
    const badBucket = await srv.send('GET', '/api/sites/alpha/history?from=2025-02-01&to=2025-03-01&bucket=week');
    expect(badBucket.body.error.details[0].path).toBe('bucket');
    expect((await srv.send('GET', '/api/sites/nowhere/history?from=2025-02-01&to=2025-03-01')).status).toBe(404);
  });
});
