import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { haveProgram } from '../support/programs';

const file = new URL('../../docker-compose.yml', import.meta.url).pathname;
const sentinelFile = new URL('../../server/deploy/compose.sentinel.yml', import.meta.url).pathname;
const repo = (p: string) => new URL(`../../${p.replace(/^\.\//, '')}`, import.meta.url).pathname;

describe('docker-compose.yml', () => {
  it('runs Redis with append-only persistence on a volume, health-checked, before the app', () => {
    const c = parse(readFileSync(file, 'utf8'));
    expect(c.services.redis.command.join(' ')).toMatch(/--appendonly yes.*--appendfsync everysec/);
    expect(c.services.redis.volumes[0]).toMatch(/^redis-data:\/data$/);
    expect(c.services.redis.healthcheck.test).toContain('ping');
    expect(c.services.app.depends_on.redis.condition).toBe('service_healthy');
    expect(c.services.app.build.dockerfile).toBe('server/Dockerfile');
    expect(c.services.app.environment.REDIS_URL).toBe('redis://redis:6379');
  });

  it('puts Caddy in front for HTTPS, and the app trusts exactly that proxy and is not published', () => {
    const c = parse(readFileSync(file, 'utf8'));
    const proxy = c.services.proxy;
    expect(proxy.image).toMatch(/^caddy:2/);
    expect(proxy.ports).toEqual(expect.arrayContaining(['80:80', '443:443']));
    const caddyfile = proxy.volumes.find((v: string) => v.endsWith(':/etc/caddy/Caddyfile:ro')).split(':')[0];
    expect(existsSync(repo(caddyfile))).toBe(true);
    expect(proxy.environment.ROOMWATCH_DOMAIN).toMatch(/\$\{ROOMWATCH_DOMAIN/);
    expect(c.services.app.ports).toBeUndefined();
    expect(c.services.app.environment.ROOMWATCH_TRUST_PROXY).toBe(proxy.networks.default.ipv4_address);
    // the proxy's fixed address is outside the range other containers get theirs from
    const range = c.networks.default.ipam.config[0].ip_range as string;
    expect(range).toBe('172.30.0.128/25');
    expect(Number(proxy.networks.default.ipv4_address.split('.')[3])).toBeLessThan(128);
    expect(c.services.app.environment.ROOMWATCH_VAPID_SUBJECT).toMatch(/\$\{ROOMWATCH_VAPID_SUBJECT/);
  });

  it('has a Sentinel variant: a replica, three sentinels with the example config, the app through them', () => {
    const s = parse(readFileSync(sentinelFile, 'utf8'));
    expect(s.services['redis-replica'].command.join(' ')).toContain('--replicaof redis 6379');
    for (const n of [1, 2, 3]) expect(s.services[`sentinel-${n}`].volumes[0]).toBe('./server/deploy/sentinel.conf:/etc/roomwatch/sentinel.conf:ro');
    expect(s.services.app.environment).toMatchObject({ REDIS_URL: '', REDIS_SENTINELS: 'sentinel-1:26379,sentinel-2:26379,sentinel-3:26379', REDIS_SENTINEL_MASTER: 'roomwatch' });
    expect(readFileSync(repo('server/deploy/sentinel.conf'), 'utf8')).toMatch(/^sentinel monitor roomwatch redis 6379 2$/m);
  });

  it.skipIf(!haveProgram('docker-compose', 'apt-get install -y docker-compose'))('is valid for docker-compose config, alone and with the Sentinel file', () => {
    execFileSync('docker-compose', ['-f', file, 'config', '-q'], { stdio: 'pipe' });
    const services = execFileSync('docker-compose', ['-f', file, 'config', '--services'], { encoding: 'utf8' });
    expect(services.trim().split('\n').sort()).toEqual(['app', 'proxy', 'redis']);
    const withSentinel = execFileSync('docker-compose', ['-f', file, '-f', sentinelFile, 'config', '--services'], { encoding: 'utf8' });
    expect(withSentinel.trim().split('\n').sort()).toEqual(['app', 'proxy', 'redis', 'redis-replica', 'sentinel-1', 'sentinel-2', 'sentinel-3']);
  });
});
