import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertList } from '../../shared/alerts/schema';
import { serverEngines } from '../support/engines';
import { connectClient } from '../support/socketClient';
import type { TestServer } from '../support/testServer';

/*
 * Issue 13: "wall screen offline" names the screen as it was paired ("Personalestue TV"), not a
 * token id, and resolves as soon as that screen's token is revoked — it does not keep firing for
 * a day about a screen nobody has any more. On both engines.
 */
describe.each(serverEngines())('wall-offline on $name names the screen and ends when it is revoked', (engine) => {
  let srv: TestServer;
  let now = Date.parse('2026-11-30T10:00:00Z');
  const clock = () => now;

  beforeAll(async () => {
    if (!engine.available) return;
    srv = await engine.start({ clock });
    await srv.app.alerts.stop(); // evaluations are driven by hand, on the controlled clock
  });
  afterAll(async () => {
    await srv?.close();
  });

  const evaluate = async () => {
    await srv.app.alerts.evaluate('alpha');
    await srv.app.alerts.settled();
  };
  const wallOffline = async () => AlertList.parse((await srv.send('GET', '/api/sites/alpha/alerts?state=active')).body).alerts.find((a) => a.rule === 'wall-offline');

  it.runIf(engine.available)('fires with the screen\'s name, and resolves when its token is revoked', async () => {
    const created = await srv.send('POST', '/api/tokens', { kind: 'display', name: 'Personalestue TV', sites: ['alpha'] });
    expect(created.status).toBe(201);
    const { id, token } = created.body as { id: string; token: string };
    const wall = await connectClient(srv.baseUrl, token);
    expect(await wall.socket.timeout(2_000).emitWithAck('display:heartbeat', { siteId: 'alpha' })).toMatchObject({ ok: true });
    wall.socket.disconnect();

    now += 3 * 60_000;
    await evaluate();
    const alert = await wallOffline();
    expect(alert).toMatchObject({ state: 'firing', detail: { screen: 'Personalestue TV' } });
    expect(alert!.title).toBe('Wall screen “Personalestue TV” offline for 3 min');
    expect(alert!.title).not.toContain(id);

    expect((await srv.send('DELETE', `/api/tokens/${id}`)).status).toBeLessThan(300);
    now += 60_000;
    await evaluate();
    expect(await wallOffline()).toBeUndefined();
    const history = AlertList.parse((await srv.send('GET', '/api/sites/alpha/alerts?state=all')).body).alerts;
    expect(history.find((a) => a.id === alert!.id)?.state).toBe('resolved');
  });
});
