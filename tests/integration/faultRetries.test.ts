import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../server/sim/rng';
import { haveRedis } from '../support/programs';
import { serverOnRedis } from '../support/serverFixture';


const TOTAL = 10_000;
const WORKERS = 24;
const BOOTHS = ['inj-1', 'inj-2', 'inj-3', 'inj-4', 'smk-1', 'smk-2', 'smk-3'];

/**
 * 10,000 mixed commands from clients that time out and retry (same Idempotency-Key) and that
 * deliver some commands twice at once: the counters must equal the accepted commands exactly.
 */
describe.skipIf(!haveRedis())('fault: retries and duplicate deliveries', () => {
  // One business day throughout (a Wednesday from noon, running): the counters compared at the
  // end are that day's, whatever the real time when the run crosses 06:00.
  const start = performance.now();
  const { srv } = serverOnRedis({ clock: () => Date.parse('2026-03-11T11:00:00Z') + Math.round(performance.now() - start) });

  it(`${TOTAL} commands with random retries end with exact counters`, async () => {
    const rand = mulberry32(9);
    const auth = { authorization: `Bearer ${srv.adminToken}`, 'content-type': 'application/json' };
    type Cmd = { kind: string; path: string; body: unknown; key: string };
    const make = (i: number): Cmd => {
      const x = rand();
      const booth = BOOTHS[Math.floor(rand() * BOOTHS.length)]!;
      const key = `r10k-${i}-${Math.floor(rand() * 1e9)}`;
      if (x < 0.25) return { kind: 'check-in', path: `/api/sites/alpha/booths/${booth}/check-in`, body: { substance: 'cocaine', route: 'injection' }, key };
      if (x < 0.45) return { kind: 'check-out', path: `/api/sites/alpha/booths/${booth}/check-out`, body: {}, key };
      if (x < 0.6) return { kind: 'cleaned', path: `/api/sites/alpha/booths/${booth}/cleaned`, body: {}, key };
      if (x < 0.75) return { kind: 'queue-join', path: '/api/sites/alpha/queue', body: { op: 'join' }, key };
      if (x < 0.85) return { kind: 'queue-leave', path: '/api/sites/alpha/queue', body: { op: 'leave' }, key };
      if (x < 0.95) return { kind: 'registration', path: '/api/sites/alpha/registrations', body: {}, key };
      return { kind: 'incident', path: '/api/sites/alpha/incidents', body: { kind: 'overdose', naloxone: true }, key };
    };
    const post = async (c: Cmd, timeoutMs?: number) => {
      const res = await fetch(srv.baseUrl + c.path, { method: 'POST', headers: { ...auth, 'Idempotency-Key': c.key }, body: JSON.stringify(c.body), ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}) });
      return { status: res.status, text: await res.text() };
    };

    const outcome = new Map<string, { kind: string; status: number }>();
    let timeouts = 0;
    let duplicates = 0;
    let next = 0;
    const worker = async () => {
      while (next < TOTAL) {
        const c = make(next++);
        const r = rand();
        const replies: Array<{ status: number; text: string }> = [];
        if (r < 0.1) {
          // a client gives up after 1 ms and retries: the first try may or may not have landed
          try {
            replies.push(await post(c, 1));
          } catch {
            timeouts++;
          }
        } else if (r < 0.2) {
          duplicates++; // the same delivery twice at once
          replies.push(...(await Promise.all([post(c), post(c)])));
        }
        replies.push(await post(c));
        if (rand() < 0.1) replies.push(await post(c)); // a late duplicate
        // every reply to one key is the same reply
        expect(new Set(replies.map((x) => `${x.status} ${x.text}`)).size, c.key).toBe(1);
        expect([200, 201, 409]).toContain(replies[0]!.status);
        outcome.set(c.key, { kind: c.kind, status: replies[0]!.status });
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));

    const accepted = (kind: string) => [...outcome.values()].filter((o) => o.kind === kind && o.status < 300).length;
    const snap = (await srv.send('GET', '/api/sites/alpha/snapshot')).body;
    const c = snap.counters;
    expect(outcome.size).toBe(TOTAL);
    expect(c.intakes).toBe(accepted('check-in'));
    expect(c.checkouts).toBe(accepted('check-out'));
    expect(c.queueJoins).toBe(accepted('queue-join'));
    expect(c.walkAways).toBe(accepted('queue-leave'));
    expect(c.registrations).toBe(accepted('registration'));
    expect(c.incidents.overdose).toBe(accepted('incident'));
    expect(c.naloxone).toBe(accepted('incident'));
    const acceptedAll = [...outcome.values()].filter((o) => o.status < 300).length;
    expect(snap.seq).toBe(acceptedAll);
    expect(snap.queue).toBe(c.queueJoins - c.walkAways - c.queueServed);
    const occupied = snap.booths.filter((b: { state: string }) => b.state === 'occupied').length;
    expect(snap.occupied).toBe(occupied);
    expect(c.intakes - c.checkouts).toBe(occupied);
    console.log(`retries: ${TOTAL} commands, ${acceptedAll} accepted, ${timeouts} client timeouts, ${duplicates} concurrent duplicates`);
    // About 40 s alone; several times that while the rest of the suite (and anything else)
    // shares the two cores. A time limit, not a speed assertion.
  }, 360_000);
});
