import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../support/testServer';

// The alert engine re-evaluates a site after its floor changes, at most once per 200 ms however the
// changes come (issue 16: evaluating after nearly every change of a busy site cost the screens'
// latency tail). The embedded store: the same engine and the same pacing.
describe('alert evaluation pacing', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('a site with a change every 5 ms for 600 ms is evaluated at most once per 200 ms, plus once to settle', async () => {
    const staff = { principal: { kind: 'user' as const, id: 'tester', role: 'staff' as const, sites: '*' as const }, siteId: 'alpha' };
    await srv.app.alerts.evaluate('alpha');
    // After the quiet evaluation above: a private method, counted only here.
    const runs = vi.spyOn(srv.app.alerts as unknown as { evaluateOnce(siteId: string): Promise<void> }, 'evaluateOnce');
    const started = performance.now();
    let changes = 0;
    while (performance.now() - started < 600) {
      await srv.app.floor.queue(staff, { op: 'join' });
      changes++;
      await new Promise((r) => setTimeout(r, 5));
    }
    await srv.app.alerts.evaluate('alpha');
    const took = performance.now() - started;
    expect(changes).toBeGreaterThanOrEqual(10); // a busy site, even on a slow machine
    // One run per 200 ms gap, plus the one that settles the last change.
    expect(runs.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(runs.mock.calls.length).toBeLessThanOrEqual(Math.ceil(took / 200) + 1);
    runs.mockRestore();
  });
});
