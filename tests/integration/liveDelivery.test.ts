import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteChanges } from '../../shared/events';
import { DEFAULT_FRAME_TIMING } from '../../server/realtime/frames';
import { acceptSnapshot, emptySequencer, receiveChanges } from '../../client/src/stores/floorSequencer';
import { haveRedis } from '../support/programs';
import { commitUnpublished } from '../support/unpublishedChange';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { startScreen } from '../support/screenClient';
import { connectClient } from '../support/socketClient';
import { startTestServer, type TestServer } from '../support/testServer';
import { waitFor } from '../support/waitFor';

// One clock for every instance, a Wednesday noon that keeps running: nothing here is about dates.
const start = performance.now();
const clock = () => Date.parse('2026-03-11T11:00:00Z') + Math.round(performance.now() - start);

describe.skipIf(!haveRedis())('a committed change reaches the screens, whatever happens to the instance that made it', () => {
  let redis: RedisProcess;
  let a: TestServer;
  let b: TestServer;
  let doomed: TestServer;
  /** Armed: the next command through `doomed` kills that instance right after its commit. */
  let armed = false;
  let died = false;

  beforeAll(async () => {
    redis = await startRedis();
    a = await startTestServer({ redisUrl: redis.url, clock });
    b = await startTestServer({ redisUrl: redis.url, clock });
    doomed = await startTestServer({
      redisUrl: redis.url,
      clock,
      faults: {
        // The instance dies between the commit and anything after it: no reply, no emit of its own,
        // its connections (the live relay's too) cut. Only what Redis already carries can save the change.
        afterCommit: () => {
          if (!armed) return;
          died = true;
          doomed.app.http.closeAllConnections();
          void doomed.app.close();
          return new Promise<void>(() => undefined);
        },
      },
    });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await doomed?.store.close();
    await redis?.destroy();
  });

  it('an instance killed between commit and emit: screens on the other instances still get the change, live, without a resync', async () => {
    const onA = await connectClient(a.baseUrl, a.adminToken);
    const onB = await connectClient(b.baseUrl, b.adminToken);
    const ackA = await onA.subscribe('alpha');
    const ackB = await onB.subscribe('alpha');
    if (!ackA.ok || !ackB.ok) throw new Error('subscribe failed');
    const screen = startScreen(b.baseUrl, b.adminToken, 'alpha');
    await waitFor(() => screen.state.snapshot !== null, 'the screen to have its snapshot');
    const seq0 = ackA.snapshot.seq;

    armed = true;
    const reply = await doomed.send('POST', '/api/sites/alpha/incidents', { kind: 'overdose', naloxone: true, ambulance: true }).catch((err: unknown) => err);
    expect(died).toBe(true);
    expect(reply).toBeInstanceOf(Error); // the caller never heard back: its connection was cut

    // The change was committed: the store has it…
    const truth = (await a.send('GET', '/api/sites/alpha/snapshot')).body as { seq: number; counters: { overdoses: number } };
    expect(truth.seq).toBe(seq0 + 1);
    // …and the screens get it pushed (within 1 s in practice; the guard is generous for a busy machine).
    for (const c of [onA, onB]) {
      const change = await c.next((x) => x.seq === seq0 + 1, 10_000);
      expect(change).toMatchObject({ type: 'incident', siteId: 'alpha' });
    }
    await waitFor(() => screen.state.snapshot?.seq === seq0 + 1, 'the screen to apply the change');
    expect(screen.resyncs).toBe(0);
    for (const c of [onA, onB]) c.socket.disconnect();
    screen.close();
  });

  it('safety net: a quiet screen that missed a change finds out by asking for the seq alone, and resyncs', async () => {
    const screen = startScreen(a.baseUrl, a.adminToken, 'beta', { quietCheckMs: 300 });
    await waitFor(() => screen.state.snapshot !== null, 'the screen to have its snapshot');
    const before = screen.state.snapshot!.seq;
    // A change committed by something that does not publish it (a tool on the store, like
    // `seed-history`): nothing is pushed, so only the background check can notice.
    await commitUnpublished(a.store, 'beta', clock);
    await waitFor(() => screen.state.snapshot?.seq === before + 1, 'the quiet screen to catch up');
    expect(screen.resyncs).toBeGreaterThanOrEqual(1);
    screen.close();
  });
});

describe('frames under load: a busy site coalesces its changes into site:changes', () => {
  let srv: TestServer;
  beforeAll(async () => {
    // The embedded store: the relay and the frames run there too. A long window makes coalescing certain.
    srv = await startTestServer({ clock, frameTiming: { ...DEFAULT_FRAME_TIMING, minWindowMs: 1_000, maxWindowMs: 1_000, msPerScreen: 0 } });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('an idle site pushes a change at once; a burst goes out as ascending, gapless frames that clients apply', async () => {
    const client = await connectClient(srv.baseUrl, srv.adminToken);
    const frames: SiteChanges[] = [];
    client.socket.on('site:changes', (f) => void frames.push(f));
    const singles: number[] = [];
    client.socket.on('site:changed', (c) => void singles.push(c.seq));
    const ack = await client.subscribe('alpha');
    if (!ack.ok) throw new Error('subscribe failed');
    const seq0 = ack.snapshot.seq;

    const burst = 12;
    // Straight into the service (no HTTP in between), so the burst lands well within one window
    // however busy the machine is.
    const staff = { principal: { kind: 'user' as const, id: 'tester', role: 'staff' as const, sites: '*' as const }, siteId: 'alpha' };
    await Promise.all(Array.from({ length: burst }, () => srv.app.floor.queue(staff, { op: 'join' })));
    await client.next((c) => c.seq === seq0 + burst);
    expect(client.changes.map((c) => c.seq)).toEqual(Array.from({ length: burst }, (_, i) => seq0 + 1 + i));
    expect(singles[0]).toBe(seq0 + 1); // the first change of a quiet site is not held back
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) {
      expect(f.siteId).toBe('alpha');
      expect(f.changes.length).toBeGreaterThan(1);
      expect(f.changes.map((c) => c.seq)).toEqual(f.changes.map((_, i) => f.changes[0]!.seq + i));
    }
    // The client's sequencer applies a frame as if each change had come alone.
    let step = acceptSnapshot(emptySequencer('alpha'), ack.snapshot, 0);
    step = receiveChanges(step.state, client.changes, 0);
    expect(step.effect.kind).toBe('none');
    expect(step.state.snapshot).toMatchObject({ seq: seq0 + burst, queue: ack.snapshot.queue + burst });
    client.socket.disconnect();
  });
});
