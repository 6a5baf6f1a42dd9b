import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { OFFSET_VAR, parseTestNow, realDate, shiftNow } from '../support/testNow.mjs';

/*
 * The date matrix's clock (tests/support/testNow.mjs): it must move "now" and nothing else, and
 * a spawned process must agree with its test. Each case restores the offset the run started
 * with (none, or the one ROOMWATCH_TEST_NOW set for this file).
 */
describe('ROOMWATCH_TEST_NOW clock', () => {
  const runOffset = Number(process.env[OFFSET_VAR] ?? 0);
  afterEach(() => shiftNow(runOffset));

  it('takes only ISO instants with an offset or Z', () => {
    expect(parseTestNow('2026-11-30T00:30+01:00')).toBe(Date.UTC(2026, 10, 29, 23, 30));
    expect(parseTestNow('2026-03-29T01:30Z')).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(parseTestNow('2026-10-25T02:30:15.5+02:00')).toBe(Date.UTC(2026, 9, 25, 0, 30, 15, 500));
    for (const bad of ['2026-03-29T03:30', '2026-03-29', 'tomorrow', '2026-13-01T00:00Z']) {
      expect(() => parseTestNow(bad), bad).toThrow(/ROOMWATCH_TEST_NOW/);
    }
  });

  it('moves Date.now() and new Date(), keeps time flowing, and leaves everything else alone', async () => {
    const target = parseTestNow('2026-03-29T03:30+02:00');
    shiftNow(target - realDate().now());
    expect(Math.abs(Date.now() - target)).toBeLessThan(1_000);
    expect(Math.abs(new Date().getTime() - target)).toBeLessThan(1_000);
    const before = Date.now();
    await new Promise((r) => setTimeout(r, 30));
    expect(Date.now() - before).toBeGreaterThanOrEqual(25);
    expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(new Date('2026-01-01T00:00Z').getTime()).toBe(Date.UTC(2026, 0, 1));
    expect(new Date() instanceof Date).toBe(true);
    expect(Date.parse('2026-01-01T00:00Z')).toBe(Date.UTC(2026, 0, 1));
    expect(Date()).toContain('2026');
    class Stamp extends Date {}
    expect(Math.abs(new Stamp().getTime() - target)).toBeLessThan(1_000);
  });

  it('gives a spawned node process the same clock, and its HTTP Date header', () => {
    const offset = parseTestNow('2026-12-31T23:50+01:00') - realDate().now();
    const preload = new URL('../support/testNowChild.mjs', import.meta.url).href;
    const script = `
      const http = await import('node:http');
      const server = http.createServer((_req, res) => res.end()).listen(0, '127.0.0.1', async () => {
        const res = await fetch('http://127.0.0.1:' + server.address().port);
        console.log(JSON.stringify({ now: Date.now(), header: res.headers.get('date') }));
        server.close();
      });`;
    const before = realDate().now() + offset;
    const out = execFileSync(process.execPath, ['--import', preload, '--input-type=module', '-e', script], {
      env: { ...process.env, [OFFSET_VAR]: String(offset) },
      encoding: 'utf8',
    });
    const after = realDate().now() + offset;
    const child = JSON.parse(out) as { now: number; header: string };
    // The child's "now" lies within the parent's, however long the machine took to spawn it.
    expect(child.now).toBeGreaterThanOrEqual(before);
    expect(child.now).toBeLessThanOrEqual(after);
    const header = Date.parse(child.header); // whole seconds
    expect(header).toBeGreaterThanOrEqual(before - 1_000);
    expect(header).toBeLessThanOrEqual(after);
  });
});
