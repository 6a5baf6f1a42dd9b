// `npm run seed-history -- --site ID [--days 90] [--redis redis://…] [--seed N]`: simulated past
// days, through the same script as live traffic (counters and event log), into a demo site.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { readSitesFile, DEFAULT_SITES_FILE } from '../config';
import { FloorRepository } from '../floor/floor.repository';
import { FloorService } from '../floor/floor.service';
import { SiteRegistry } from '../sites/sites.registry';
import { seedSites } from '../sites/sites.seed';
import { createStore } from '../store/redis';
import { backfillRange, backfillThroughFloor, datesWithCounters } from '../sim/history';

const Args = z.object({
  site: z.string().min(1),
  days: z.coerce.number().int().min(1).max(400).default(90),
  redis: z.string().regex(/^rediss?:\/\//, 'redis://… or rediss://…').optional(),
  seed: z.coerce.number().int().min(0).default(1),
});
const { values } = parseArgs({
  options: { site: { type: 'string' }, days: { type: 'string' }, redis: { type: 'string' }, seed: { type: 'string' } },
});
const parsed = Args.safeParse({ ...values, redis: values.redis ?? (process.env.REDIS_URL || undefined) });
if (!parsed.success) {
  console.error(`seed-history: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(64);
}
const a = parsed.data;
if (!a.redis) {
  console.error(
    'seed-history: give --redis (or REDIS_URL). The embedded store lives inside one process, so history written ' +
      'here would vanish on exit; `npm start -- --demo` seeds the embedded store itself.',
  );
  process.exit(64);
}
const sitesPath = process.env.ROOMWATCH_SITES || DEFAULT_SITES_FILE;
const { sites, problems } = readSitesFile(sitesPath);
if (!sites) {
  console.error(problems.join('\n'));
  process.exit(78);
}
const site = sites.sites.find((s) => s.id === a.site);
if (!site) {
  console.error(`seed-history: no site ${a.site} in ${sitesPath}`);
  process.exit(64);
}
if (!site.demo) {
  console.error(`seed-history: site ${a.site} is not marked demo: true; simulated data never goes into a real site's records`);
  process.exit(1);
}
const store = await createStore(a.redis);
if (!store.isUp()) {
  console.error(`seed-history: cannot reach ${a.redis}`);
  process.exit(1);
}
try {
  await seedSites(store, sites);
  const range = backfillRange(site, a.days, Date.now());
  const taken = await datesWithCounters(store.redis, site.id, range);
  if (taken.length > 0) {
    console.error(`seed-history: ${taken.length} of these days already hold counters (first ${taken[0]}); refusing to mix simulated and real data`);
    process.exit(1);
  }
  const clock = { now: range.start };
  const repo = new FloorRepository(store.redis);
  const floor = new FloorService({
    repo,
    sites: new SiteRegistry(sites),
    realtime: { siteChanged: () => undefined }, // past days: nobody is watching them live
    clock: () => clock.now,
    settings: { eventRetention: 1_000_000, idempotencyTtlMs: 60_000 },
  });
  console.log(`seeding ${site.id}: ${range.from} … ${range.to} (exclusive), seed ${a.seed}`);
  const r = await backfillThroughFloor({
    floor,
    repo,
    clock,
    site,
    range,
    seed: a.seed,
    onProgress: (date, n) => process.stdout.write(`\r${date}: ${n} commands`),
  });
  console.log(`\ndone: ${r.commands} commands${r.conflicts ? `, ${r.conflicts} conflicts (the floor was not empty)` : ''}`);
} finally {
  await store.close();
}
