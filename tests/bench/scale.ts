import { startRedis } from '../support/redisServer';
import { screensRun } from './screensRun';
import { percentile, round } from './stats';
import { roomwatch, type Target } from './targets';

/**
 * Scaling out, in alternating rounds: 1,000 screens on one Roomwatch instance, then 2,000 on two
 * (1,000 each, commands through the first), each on a fresh Redis, the order swapped every round
 * so a busy spell of the shared machine falls on both alike. One run of each swung from 1.4 to
 * 2.1 × between whole benchmark runs; the verdict compares the medians of the rounds. Each row
 * also says how much of a core every process used (`screensRun`): on one machine the second
 * instance and its screens add their work to the same cores, which is what the comparison then
 * measures, rather than what a second machine would add.
 */
export async function scaleRounds(opts: { rounds: number; rate: number; seconds: number; perInstance?: number }) {
  const per = opts.perInstance ?? 1000;
  const rows: Array<Record<string, string | number>> = [];
  for (let round = 1; round <= opts.rounds; round++) {
    for (const instances of round % 2 ? [1, 2] : [2, 1]) {
      const redis = await startRedis();
      const first = await roomwatch(redis);
      const targets: Target[] = [first];
      if (instances === 2) targets.push(await roomwatch(redis, first.token));
      const r = await screensRun(targets, first, { perTarget: per, rate: opts.rate, seconds: opts.seconds, redis });
      rows.push({ round, instances, screens: per * instances, ...r });
      for (const t of targets) await t.stop();
      await redis.destroy();
    }
  }
  const medianP99 = (instances: number) => percentile(rows.filter((r) => r.instances === instances).map((r) => Number(r.p99_ms)), 50);
  return { rows, oneP99: medianP99(1), twoP99: medianP99(2), ratio: round(medianP99(2) / medianP99(1)) };
}
