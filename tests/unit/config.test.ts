import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_SITES_FILE, loadConfig } from '../../server/config';

describe('configuration', () => {
  it('has working defaults with the sample sites', () => {
    const c = loadConfig({});
    expect(c.http.port).toBe(8080);
    expect(c.redis.url).toBeUndefined();
    expect(c.sitesFile).toBe(DEFAULT_SITES_FILE);
    const [skyen, h17] = c.sites.sites;
    expect(skyen!.rooms.map((r) => [r.kind, r.booths])).toEqual([['injection', 9], ['inhalation', 8]]);
    expect(h17!.rooms.map((r) => [r.kind, r.booths])).toEqual([['injection', 6], ['inhalation', 6]]);
    expect(h17!.rooms[0]!.openingHours).toEqual([{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], open: '07:30', close: '23:30' }]);
  });

  it('names every bad variable in one error', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'localhost:6379', LOG_LEVEL: 'loud', ROOMWATCH_SITES: '/nonexistent.yaml' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    for (const name of ['PORT', 'REDIS_URL', 'LOG_LEVEL', 'ROOMWATCH_SITES']) expect(msg).toContain(name);
  });

  it('accepts a redis URL', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6390/0' }).redis.url).toBe('redis://127.0.0.1:6390/0');
  });

  const problemsOf = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('reads Redis Sentinel: the sentinels, the master name, and how many replicas must confirm a write', () => {
    const c = loadConfig({ REDIS_SENTINELS: '10.0.0.1:26379, sentinel-b:26380', REDIS_SENTINEL_MASTER: 'roomwatch', ROOMWATCH_REDIS_WAIT_REPLICAS: '1' });
    expect(c.redis).toMatchObject({
      url: undefined,
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: 'sentinel-b', port: 26380 },
      ],
      sentinelMaster: 'roomwatch',
      waitReplicas: 1,
      waitTimeoutMs: 1000,
    });
    expect(problemsOf({ REDIS_SENTINELS: 'a:1' })).toContain('REDIS_SENTINEL_MASTER');
    expect(problemsOf({ REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_MASTER: 'm', REDIS_URL: 'redis://x:6379' })).toContain('not both');
    expect(problemsOf({ REDIS_SENTINELS: 'no-port', REDIS_SENTINEL_MASTER: 'm' })).toContain('REDIS_SENTINELS');
    expect(problemsOf({ ROOMWATCH_REDIS_WAIT_REPLICAS: '1' })).toContain('embedded store has no replicas');
  });

  it('takes the VAPID contact and push services from the environment, and refuses localhost contacts in production', () => {
    expect(loadConfig({}).push).toEqual({ vapidSubject: 'mailto:roomwatch@localhost', services: ['fcm.googleapis.com', 'updates.push.services.mozilla.com', '*.push.apple.com', '*.notify.windows.com'] });
    const c = loadConfig({ NODE_ENV: 'production', ROOMWATCH_VAPID_SUBJECT: 'mailto:it@skyen.example', ROOMWATCH_PUSH_SERVICES: 'fcm.googleapis.com, push.example.org:8443' });
    expect(c.push).toEqual({ vapidSubject: 'mailto:it@skyen.example', services: ['fcm.googleapis.com', 'push.example.org:8443'] });
    expect(loadConfig({ NODE_ENV: 'production', ROOMWATCH_VAPID_SUBJECT: 'https://roomwatch.skyen.example' }).push.vapidSubject).toBe('https://roomwatch.skyen.example');

    expect(problemsOf({ NODE_ENV: 'production' })).toMatch(/ROOMWATCH_VAPID_SUBJECT: required in production/);
    for (const local of ['mailto:roomwatch@localhost', 'mailto:ops@127.0.0.1', 'https://localhost:8443', 'mailto:it@wall.local']) {
      expect(problemsOf({ NODE_ENV: 'production', ROOMWATCH_VAPID_SUBJECT: local }), local).toMatch(/local contact, which Apple's push service refuses/);
    }
    expect(problemsOf({ ROOMWATCH_VAPID_SUBJECT: 'roomwatch@skyen.example' })).toContain('a mailto: address or an https: URL');
    expect(problemsOf({ ROOMWATCH_PUSH_SERVICES: 'https://evil.example/' })).toContain('ROOMWATCH_PUSH_SERVICES');
  });

  it('reads the public page address for the poster and the public rate limit', () => {
    expect(loadConfig({}).publicPage).toEqual({ baseUrl: undefined, perMinute: 120 });
    expect(loadConfig({ ROOMWATCH_PUBLIC_URL: 'https://rum.example.org/', ROOMWATCH_PUBLIC_RATE_PER_MINUTE: '300' }).publicPage).toEqual({ baseUrl: 'https://rum.example.org', perMinute: 300 });
    expect(problemsOf({ ROOMWATCH_PUBLIC_URL: 'rum.example.org' })).toContain('ROOMWATCH_PUBLIC_URL');
    expect(problemsOf({ ROOMWATCH_PUBLIC_URL: 'ftp://rum.example.org' })).toContain('ROOMWATCH_PUBLIC_URL');
    expect(problemsOf({ ROOMWATCH_PUBLIC_RATE_PER_MINUTE: '0' })).toContain('ROOMWATCH_PUBLIC_RATE_PER_MINUTE');
  });
});
