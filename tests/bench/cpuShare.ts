import { readFileSync } from 'node:fs';

// Linux counts a process's CPU time in clock ticks of 1/100 s (USER_HZ, the same on every common
// build; Node cannot ask sysconf for it).
const TICKS_PER_SECOND = 100;

/** A process's user + system CPU time so far in seconds, from /proc; null where there is no /proc or no such process. */
function cpuSeconds(pid: number): number | null {
  try {
    // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * Starts measuring how much of one core each named process uses. On two shared cores every
 * process of a load run (servers, screens, Redis, the load generator) takes turns with the
 * others, so how busy the machine was is part of each latency figure. `stop` gives each
 * process's share in per cent of one core ('-' where it could not be read).
 */
export function measureCpu(pids: Record<string, number>): { stop(): Record<string, number | '-'> } {
  const startedAt = performance.now();
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  return {
    stop() {
      const seconds = (performance.now() - startedAt) / 1000;
      return Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => {
          const [a, b] = [before[name], cpuSeconds(pid)];
          return [name, a == null || b == null ? '-' : Math.round(((b - a) / seconds) * 100)];
        }),
      );
    },
  };
}
