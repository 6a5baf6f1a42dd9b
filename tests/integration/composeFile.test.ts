import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { haveProgram } from '../support/programs';

const file = new URL('../../docker-compose.yml', import.meta.url).pathname;

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

  it('has a scale profile: a second replica behind nginx with WebSocket proxying', () => {
    const c = parse(readFileSync(file, 'utf8'));
    expect(c.services.app2.profiles).toEqual(['scale']);
    expect(c.services.lb.profiles).toEqual(['scale']);
    expect(c.services.app2.environment.REDIS_URL).toBe('redis://redis:6379');
    const nginx = readFileSync(new URL('../../server/nginx/nginx.conf', import.meta.url), 'utf8');
    expect(nginx).toMatch(/server app:8080/);
    expect(nginx).toMatch(/server app2:8080/);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
    expect(nginx).toMatch(/proxy_set_header Connection \$connection_upgrade/);
  });

  it.skipIf(!haveProgram('docker-compose', 'apt-get install -y docker-compose'))('is valid for docker-compose config, with and without the scale profile', () => {
    execFileSync('docker-compose', ['-f', file, 'config', '-q'], { stdio: 'pipe' });
    const services = execFileSync('docker-compose', ['-f', file, '--profile', 'scale', 'config', '--services'], { encoding: 'utf8' });
    expect(services.trim().split('\n').sort()).toEqual(['app', 'app2', 'lb', 'redis']);
  });
});
