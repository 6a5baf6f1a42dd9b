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
});
