import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { haveRedis } from '../support/programs';
import { haveSentinel, SENTINEL_MASTER, startSentinelSetup } from '../support/sentinel';
import { startScreen } from '../support/screenClient';
import { startServerProcess } from '../support/serverProcess';

/**
 * Redis Sentinel for real: a primary, a replica and three sentinels on loopback, the app as its
 * own process finding the primary through them. Six clients send commands (each retried with its
 * Idempotency-Key until acknowledged). The replica falls behind (frozen with SIGSTOP and its
 * replication link cut: a stalled machine or a partition) while writes go on, the primary is SIGKILLed, the
 * replica is thawed and promoted by the sentinels; the old primary restarts (as a container restart policy would) and rejoins as the new
 * primary's replica. Measured: the 503 window, and how many acknowledged commands the new primary
 * does not have — without replica acknowledgement (the lag is lost), and with
 * ROOMWATCH_REDIS_WAIT_REPLICAS=1, where it must be zero.
 */
const OPS = [
  { type: 'queue-join', path: '/api/sites/alpha/queue', body: { op: 'join' } },
  { type: 'registration', path: '/api/sites/alpha/registrations', body: {} },
  { type: 'incident', path: '/api/sites/alpha/incidents', body: { kind: 'other' } },
] as const;
const WORKERS = 6;

/** Waits for a condition (the machine may be slow: no fixed sleeps, a generous deadline). */
async function until(what: string, ok: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!haveRedis() || !haveSentinel())('fault: Redis Sentinel failover, the primary SIGKILLed during traffic', () => {
  for (const waitReplicas of [0, 1]) {
    it(`ROOMWATCH_REDIS_WAIT_REPLICAS=${waitReplicas}: 503 while failing over, back by itself on the new primary, screens resync${waitReplicas ? ', no acknowledged command lost' : ''}`, async () => {
      const setup = await startSentinelSetup();
      const srv = await startServerProcess({
        REDIS_SENTINELS: setup.sentinelsEnv,
        REDIS_SENTINEL_MASTER: SENTINEL_MASTER,
        ROOMWATCH_REDIS_WAIT_REPLICAS: String(waitReplicas),
        ROOMWATCH_REDIS_WAIT_TIMEOUT_MS: '500',
      });
      const screen = startScreen(srv.baseUrl, srv.token, 'alpha');
      try {
        const auth = { authorization: `Bearer ${srv.token}`, 'content-type': 'application/json' };
        /** `sentAt`: when the command's first attempt left; `at`: when it was acknowledged. */
        const acked: Array<{ key: string; type: string; at: number; sentAt: number }> = [];
        const statuses = new Map<string, number>();
        let first503 = 0;
        let stop = false;
        let i = 0;
        const worker = async () => {
          while (!stop) {
            const op = OPS[i++ % OPS.length]!;
            const key = `sentinel-${randomUUID()}`;
            const sentAt = Date.now();
            for (;;) {
              let status = -1;
              let replicated = true;
              try {
                const res = await fetch(srv.baseUrl + op.path, { method: 'POST', headers: { ...auth, 'Idempotency-Key': key }, body: JSON.stringify(op.body), signal: AbortSignal.timeout(3_000) });
                status = res.status;
                const body = (await res.json()) as { error?: { details?: { replicated?: boolean } } };
                replicated = body.error?.details?.replicated !== false;
              } catch {
                // no answer in time: the command may or may not have landed; retry with its key
              }
              const label = status === 503 && !replicated ? '503 not replicated' : String(status);
              statuses.set(label, (statuses.get(label) ?? 0) + 1);
              if (status === 503 && !first503) first503 = Date.now();
              if (status === 200 || status === 201) {
                acked.push({ key, type: op.type, at: Date.now(), sentAt });
                break;
              }
              if (stop) break; // never acknowledged: not counted either way
              await new Promise((r) => setTimeout(r, 50));
            }
          }
        };
        const workers = Array.from({ length: WORKERS }, worker);

        await until('traffic before the fault', () => acked.length >= 30);
        const oldPort = await setup.primaryPort();
        expect(oldPort).toBe(setup.primary.port);
        setup.replica.signal('SIGSTOP');
        const primaryConn = new Redis({ port: oldPort, host: '127.0.0.1' });
        await primaryConn.call('CLIENT', 'KILL', 'TYPE', 'replica');
        primaryConn.disconnect();
        const frozenAt = Date.now();
        // The replica is behind: without WAIT the primary goes on acknowledging, with WAIT it answers 503.
        // Counted are commands first sent after the link was cut: one in flight before it may have
        // reached the frozen replica's socket buffer and be applied when it thaws (not lost).
        const afterCut = () => acked.filter((a) => a.sentAt > frozenAt);
        if (waitReplicas) await until('a write refused as not replicated', () => (statuses.get('503 not replicated') ?? 0) > 0);
        else await until('writes acknowledged while the replica lags', () => afterCut().length >= 5);
        const ackedAfterCut = afterCut().map((a) => a.key);
        const ackedBeforeKill = acked.length;
        const killedAt = Date.now();
        await setup.primary.stop('SIGKILL');
        setup.replica.signal('SIGCONT');
        const newPort = await setup.failedOverFrom(oldPort);
        const promotedAt = Date.now();
        expect(newPort).toBe(setup.replica.port);
        await setup.primary.start(); // restarted on its AOF; the sentinels make it the new primary's replica
        // back by itself: commands are acknowledged again on the new primary
        await until(`recovery (replies so far ${JSON.stringify(Object.fromEntries(statuses))})`, () => acked.filter((a) => a.at > promotedAt).length >= 30, 45_000);
        // The outage as clients saw it: from the first 503 to the next acknowledged command.
        const backAt = acked.find((a) => a.at > first503)?.at ?? 0;
        stop = true;
        await Promise.all(workers);
        expect((await fetch(`${srv.baseUrl}/api/health`)).status).toBe(200);
        if (!waitReplicas) expect(first503).toBeGreaterThanOrEqual(killedAt); // with WAIT, the stalled replica already makes writes 503

        // What the new primary holds: every key in its event log, once.
        const r = new Redis({ port: newPort, host: '127.0.0.1' });
        const events = await r.xrange('rw:{alpha}:events', '-', '+');
        r.disconnect();
        const logged = events.map(([, f]) => f[f.indexOf('idem') + 1]!);
        expect(new Set(logged).size, 'nothing applied twice').toBe(logged.length);
        const present = new Set(logged);
        const lost = acked.filter((a) => !present.has(a.key));

        // What survived is consistent: counters and seq match the event log.
        const snap = (await (await fetch(`${srv.baseUrl}/api/sites/alpha/snapshot`, { headers: auth })).json()) as {
          seq: number;
          counters: { queueJoins: number; registrations: number; incidents: { other: number } };
        };
        const typeOf = (f: string[]) => f[f.indexOf('type') + 1];
        expect(snap.seq).toBe(events.length);
        expect(snap.counters.queueJoins).toBe(events.filter(([, f]) => typeOf(f) === 'queue-join').length);
        expect(snap.counters.registrations).toBe(events.filter(([, f]) => typeOf(f) === 'registration').length);
        expect(snap.counters.incidents.other).toBe(events.filter(([, f]) => typeOf(f) === 'incident').length);

        // Screens end on the new primary's state, even where it is behind what they were shown.
        const screenDeadline = Date.now() + 10_000;
        while (screen.state.snapshot?.seq !== snap.seq) {
          if (Date.now() > screenDeadline) throw new Error(`screen at seq ${screen.state.snapshot?.seq}, server at ${snap.seq}`);
          await new Promise((res) => setTimeout(res, 50));
        }

        console.log(
          `sentinel failover, ROOMWATCH_REDIS_WAIT_REPLICAS=${waitReplicas}: ${acked.length} commands acknowledged (${ackedBeforeKill} before the kill), ` +
            `${lost.length} of them lost in the failover; kill → promoted ${((promotedAt - killedAt) / 1000).toFixed(1)} s, ` +
            `503 for ${((backAt - first503) / 1000).toFixed(1)} s; replies ${JSON.stringify(Object.fromEntries(statuses))}`,
        );
        if (waitReplicas > 0) expect(lost.map((l) => l.key)).toEqual([]);
        // Without WAIT the primary acknowledged what the cut-off replica never got: every command
        // sent after the cut and acknowledged before the kill is gone from the new primary.
        else expect(lost.map((l) => l.key)).toEqual(expect.arrayContaining(ackedAfterCut));
      } finally {
        screen.close();
        await srv.stop();
        await setup.destroy();
      }
    }, 120_000);
  }
});
