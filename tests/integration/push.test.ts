import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushTransport } from '../../server/alerts/push';
import { haveRedis } from '../support/programs';
import { startRedis, type RedisProcess } from '../support/redisServer';
import { send, startTestServer, type TestServer } from '../support/testServer';

/**
 * Web Push hardening: subscriptions belong to a person or a token and are checked again at every
 * send; endpoints must be on the push-service allow-list. The transport records instead of
 * sending (the push services are not reachable from tests); everything else is the real server.
 */
describe.skipIf(!haveRedis())('web push: who gets it, where it may go', () => {
  let redis: RedisProcess;
  let srv: TestServer;
  const sent: Array<{ endpoint: string; subject: string; tag: string }> = [];
  const transport: PushTransport = async (sub, payload, options) => {
    sent.push({ endpoint: sub.endpoint, subject: String(options.vapidDetails?.subject), tag: (JSON.parse(payload) as { tag: string }).tag });
    return { statusCode: 201 };
  };

  beforeAll(async () => {
    redis = await startRedis();
    srv = await startTestServer({ redisUrl: redis.url, pushTransport: transport, push: { vapidSubject: 'mailto:it@alpha.example', services: ['fcm.googleapis.com', '*.push.apple.com'] } });
  });
  afterAll(async () => {
    await srv?.close();
    await redis?.destroy();
  });

  const endpointOf = (name: string) => `https://fcm.googleapis.com/fcm/send/${name}-0123456789`;
  const subscription = (name: string) => ({ endpoint: endpointOf(name), expirationTime: null, keys: { p256dh: `BNc-${name}`, auth: `a-${name}` } });

  /** A person with a role on some sites, signed in, with this phone subscribed. */
  async function person(username: string, role: string, sites: string[]): Promise<string> {
    expect((await srv.send('POST', '/api/users', { username, displayName: username, password: `${username}-password`, role, sites })).status).toBe(201);
    const login = await fetch(`${srv.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: `${username}-password` }) });
    const cookie = /rw_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const sub = await send(srv.baseUrl, 'POST', '/api/push/subscriptions', subscription(username), { cookie });
    expect(sub.status).toBe(201);
    return cookie;
  }

  /** The endpoints a channel test of alpha's push channel reaches now. */
  async function reached(): Promise<string[]> {
    sent.length = 0;
    const r = await srv.send('POST', '/api/sites/alpha/channels/push/test');
    expect(r.status).toBe(200);
    // Only the test notice: the alert tick may fire a real alert (at night, the responder floor)
    // on alpha or beta meanwhile, and that push would reach other phones.
    return sent.filter((s) => s.tag === 'alpha:test').map((s) => s.endpoint).sort();
  }

  it('refuses endpoints off the allow-list (and plain http), naming the field', async () => {
    const cookie = await person('lead0', 'lead', ['alpha']);
    for (const endpoint of ['https://attacker.example/collect', 'https://169.254.169.254/latest', 'http://fcm.googleapis.com/fcm/send/x', 'https://fcm.googleapis.com.attacker.example/x']) {
      const r = await send(srv.baseUrl, 'POST', '/api/push/subscriptions', { endpoint, keys: { p256dh: 'k', auth: 'a' } }, { cookie });
      expect(r.status, endpoint).toBe(400);
      expect(r.body.error.details[0].path).toBe('endpoint');
    }
    const apple = await send(srv.baseUrl, 'POST', '/api/push/subscriptions', { endpoint: 'https://web.push.apple.com/QGuQyavXutnMH0Rf0ZxLZf6', keys: { p256dh: 'k', auth: 'a' } }, { cookie });
    expect(apple.status).toBe(201);
  });

  it('sends with the configured VAPID contact to leads of the site, and stops at once for a disabled person', async () => {
    await person('lead1', 'lead', ['alpha']);
    await person('staff1', 'staff', ['alpha']); // below the channel's role: never sent to
    await person('leadb', 'lead', ['beta']); // another site
    sent.length = 0;
    expect(await reached()).toContain(endpointOf('lead1'));
    expect(await reached()).not.toContain(endpointOf('staff1'));
    expect(await reached()).not.toContain(endpointOf('leadb'));
    await reached();
    expect(new Set(sent.map((s) => s.subject))).toEqual(new Set(['mailto:it@alpha.example']));

    expect((await srv.send('PATCH', '/api/users/lead1', { disabled: true })).status).toBe(200);
    expect(await reached()).not.toContain(endpointOf('lead1'));
    // and the subscription is gone, not merely skipped: enabling the account again does not bring it back
    expect((await srv.send('PATCH', '/api/users/lead1', { disabled: false })).status).toBe(200);
    expect(await reached()).not.toContain(endpointOf('lead1'));
  });

  it('checks the role at send time (a demoted lead gets nothing) and drops a subscription whose owner lost the site', async () => {
    await person('lead2', 'lead', ['alpha']);
    await person('lead3', 'lead', ['alpha']);
    expect(await reached()).toEqual(expect.arrayContaining([endpointOf('lead2'), endpointOf('lead3')]));
    expect((await srv.send('PATCH', '/api/users/lead2', { role: 'staff' })).status).toBe(200);
    expect((await srv.send('PATCH', '/api/users/lead3', { sites: ['beta'] })).status).toBe(200);
    const now = await reached();
    expect(now).not.toContain(endpointOf('lead2'));
    expect(now).not.toContain(endpointOf('lead3'));
    // promoted back, lead2 (still on alpha) gets alerts again; lead3's subscription was dropped
    expect((await srv.send('PATCH', '/api/users/lead2', { role: 'lead' })).status).toBe(200);
    expect((await srv.send('PATCH', '/api/users/lead3', { sites: ['alpha'] })).status).toBe(200);
    const later = await reached();
    expect(later).toContain(endpointOf('lead2'));
    expect(later).not.toContain(endpointOf('lead3'));
  });

  it('lets an API token subscribe, and drops its subscription when the token is revoked; wall screens cannot subscribe', async () => {
    const made = await srv.send('POST', '/api/tokens', { kind: 'api', name: 'Night tablet', role: 'lead', sites: ['alpha'] });
    const auth = { authorization: `Bearer ${made.body.token}` };
    expect((await send(srv.baseUrl, 'POST', '/api/push/subscriptions', subscription('tablet'), auth)).status).toBe(201);
    expect(await reached()).toContain(endpointOf('tablet'));
    expect((await srv.send('DELETE', `/api/tokens/${made.body.id}`)).status).toBe(204);
    expect(await reached()).not.toContain(endpointOf('tablet'));

    const wall = await srv.token('display', 'display', ['alpha']);
    const refused = await send(srv.baseUrl, 'POST', '/api/push/subscriptions', subscription('wall'), { authorization: `Bearer ${wall}` });
    expect(refused.status).toBe(403);
  });
});
