import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measureCpu } from '../bench/cpuShare';

// The benchmark's CPU columns read /proc (Linux); elsewhere they print '-'.
describe.skipIf(!existsSync('/proc/self/stat'))('measureCpu (the benchmark reads each process\'s share of a core)', () => {
  it('reads this process\'s CPU time as the process itself counts it, and a process that is gone as "-"', () => {
    const cpu = measureCpu({ self: process.pid, gone: 2 ** 22 + 1 });
    const startedAt = performance.now();
    const before = process.cpuUsage();
    const spent = () => {
      const u = process.cpuUsage(before);
      return (u.user + u.system) / 1e6;
    };
    // Busy until this process has used 300 ms of CPU, however the machine schedules it.
    while (spent() < 0.3);
    const used = cpu.stop();
    const seconds = (performance.now() - startedAt) / 1000;
    const expected = (spent() / seconds) * 100;
    expect(typeof used.self).toBe('number');
    // /proc counts in ticks of 10 ms: within 3 ticks of CPU time over the span, plus rounding.
    expect(Math.abs((used.self as number) - expected)).toBeLessThanOrEqual((0.03 / seconds) * 100 + 1);
    expect(used.gone).toBe('-');
  });
});
