import type { RedisProcess } from '../support/redisServer';
import { measureCpu } from './cpuShare';
import { eventToScreen } from './loadgen';
import { openScreenProcesses } from './screenProcesses';
import { percentile, round } from './stats';
import type { Target } from './targets';

/**
 * One load run: `perTarget` screens on each target, each target's screens in a process of their
 * own, `rate` commands a second through `commandsTo`. Besides the latencies (`eventToScreen`) it
 * gives, over the measured seconds, the share of a core each process used — the servers, the
 * screen processes, Redis and the load generator (this process) — and their sum, against the
 * machine's cores. With two targets, also how far apart the same change reached each target's
 * screens: the second's last screen minus the first's, p10 / p50 / p90 in ms.
 */
export async function screensRun(targets: Target[], commandsTo: Target, opts: { perTarget: number; rate: number; seconds: number; redis: RedisProcess }) {
  const { perTarget: per } = opts;
  // The site of tests/fixtures/sites.test.yaml that every benchmark server and screen uses.
  const siteId = 'alpha';
  const on = await openScreenProcesses(targets.map((t) => ({ baseUrl: t.baseUrl, n: per, ...(t.token ? { token: t.token } : {}), siteId })));
  await new Promise((r) => setTimeout(r, 500));
  const pids: Record<string, number> = { loadgen: process.pid };
  targets.forEach((t, i) => (pids[`server${i}`] = t.pid));
  on.pids.forEach((pid, i) => (pids[`screens${i}`] = pid));
  const redisPid = opts.redis.pid();
  if (redisPid) pids.redis = redisPid;
  let cpu: ReturnType<typeof measureCpu> | null = null;
  let used: Record<string, number | '-'> = {};
  const r = await eventToScreen({
    url: `${commandsTo.baseUrl}/api/sites/${siteId}/registrations`,
    ...(commandsTo.token ? { token: commandsTo.token } : {}),
    rate: opts.rate,
    seconds: opts.seconds,
    screens: per * targets.length,
    on,
    measuring: () => (cpu = measureCpu(pids)),
    sent: () => (used = cpu?.stop() ?? {}),
  });
  let apart = '-';
  if (targets.length === 2) {
    const [first, second] = await on.collectEach();
    const gaps: number[] = [];
    for (let seq = on.startSeq + 1; first!.countOf(seq) === per && second!.countOf(seq) === per; seq++) gaps.push(second!.lastAtOf(seq) - first!.lastAtOf(seq));
    apart = [10, 50, 90].map((p) => round(percentile(gaps, p))).join(' / ');
  }
  await on.close();
  await new Promise((r) => setTimeout(r, 500));
  const of = (prefix: string) => Object.keys(used).filter((k) => k.startsWith(prefix)).map((k) => used[k]!);
  const numbers = Object.values(used).filter((v): v is number => typeof v === 'number');
  return {
    ...r,
    instances_apart_ms: apart,
    cpu_servers_pct: of('server').join(' · ') || '-',
    cpu_screens_pct: of('screens').join(' · ') || '-',
    cpu_redis_pct: used.redis ?? '-',
    cpu_loadgen_pct: used.loadgen ?? '-',
    cpu_all_pct: numbers.length > 0 ? numbers.reduce((a, b) => a + b, 0) : '-',
  };
}
