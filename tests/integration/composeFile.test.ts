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

  it.skipIf(!haveProgram('docker-compose', 'apt-get install -y docker-compose'))('is valid for docker-compose config', () => {
    execFileSync('docker-compose', ['-f', file, 'config', '-q'], { stdio: 'pipe' });
  });
});
