// `npm run forecast:check [-- --until 2026-12-03 --days 120 --seed 1]`: how good is the forecast?
// A rolling-origin backtest (learn on the days before D, predict D) printing MAPE by hour band and
// day kind — on simulated history with a known profile, and on whatever history the store holds
// (REDIS_URL). Exits 1 when the simulated history misses the targets.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { businessSlot } from '../../shared/businessTime';
import { addDays, CalendarDate } from '../../shared/calendar';
import type { History } from '../../shared/forecast';
import { DEFAULT_SITES_FILE, readSitesFile } from '../config';
import { backtest, formatBacktest, KNOWN_MULTIPLIERS, meetsTargets, simulatedHistory } from '../forecast/backtest';
import { ForecastRepository } from '../forecast/forecast.repository';
import { seedSites } from '../sites/sites.seed';
import { createStore } from '../store/redis';

const Args = z.object({
  until: CalendarDate.default('2026-12-03'),
  days: z.coerce.number().int().min(60).max(400).default(120),
  seed: z.coerce.number().int().min(0).default(1),
  site: z.string().default('skyen'),
});
const { values } = parseArgs({ options: { until: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, site: { type: 'string' } } });
const parsed = Args.safeParse(values);
if (!parsed.success) {
  console.error(`forecast:check: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(64);
}
const a = parsed.data;
const { sites, problems } = readSitesFile(process.env.ROOMWATCH_SITES || DEFAULT_SITES_FILE);
if (!sites) {
  console.error(problems.join('\n'));
  process.exit(78);
}

// 1. Simulated history with a known profile: the forecast must learn it.
const site = sites.sites.find((s) => s.id === a.site) ?? sites.sites[0]!;
const started = performance.now();
const { history, truth } = simulatedHistory(site, a.until, a.days, a.seed);
// Learn from at least 56 days before the first day judged.
const from = addDays(a.until, -(a.days - 56));
const sim = backtest(site, history, from, addDays(a.until, -1), truth);
const places = site.rooms.reduce((n, r) => n + (typeof r.booths === 'number' ? r.booths : r.booths.length), 0);
console.log(
  `\nSimulated history: ${site.name} (${places} places), known hourly profile and payday multipliers ${JSON.stringify(KNOWN_MULTIPLIERS)},\n` +
    `${a.days} days to ${addDays(a.until, -1)} (seed ${a.seed}); rolling origin over ${sim.days} days from ${from}. MAPE of each band's total; ` +
    `"floor": the simulator's own expectation against what happened (noise no forecast removes).\n`,
);
console.log(formatBacktest(sim));
const ok = meetsTargets(sim);
console.log(`\n${ok ? 'targets met' : 'TARGETS MISSED'} (${((performance.now() - started) / 1000).toFixed(1)} s)`);

// 2. Whatever the store holds.
if (process.env.REDIS_URL) {
  const store = await createStore(process.env.REDIS_URL);
  try {
    const effective = await seedSites(store, sites);
    const repo = new ForecastRepository(store.redis);
    for (const s of effective.sites) {
      const today = businessSlot(Date.now(), s.timeZone, s.businessDayStart).date;
      const stored: History = { ...(await repo.history(s.id, addDays(today, -60))), ...(await repo.history(s.id, today)) };
      const dates = Object.keys(stored).filter((d) => stored[d]!.intakes > 0).sort();
      if (dates.length < 15) {
        console.log(`\nStored history of ${s.name}: ${dates.length} days with intakes — too few to backtest.`);
        continue;
      }
      const r = backtest(s, stored, addDays(today, -60), addDays(today, -1));
      console.log(`\nStored history of ${s.name} (${process.env.REDIS_URL.replace(/\/\/[^@]*@/, '//…@')}): ${dates.length} days from ${dates[0]}; rolling origin over the ${r.days} days with data of the last 60.\n`);
      console.log(formatBacktest(r));
    }
  } finally {
    await store.close();
  }
} else {
  console.log('\n(REDIS_URL is not set: no stored history to backtest.)');
}
process.exit(ok ? 0 : 1);
