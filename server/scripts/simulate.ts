// `npm run simulate -- --site ID [--speed 1] [--scenario normal|payday|fentanyl] [--seed N]
//   [--url http://localhost:8080] [--token T] [--minutes M]`: realistic traffic over the HTTP API.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Scenario } from '../sim/model';
import { httpSender, runSimulator } from '../sim/driver';

const Args = z.object({
  site: z.string().min(1),
  speed: z.coerce.number().positive().default(1),
  scenario: Scenario.default('normal'),
  seed: z.coerce.number().int().min(0).default(1),
  url: z.string().url().default('http://localhost:8080'),
  token: z.string().min(1).optional(),
  minutes: z.coerce.number().positive().optional(),
});

const { values } = parseArgs({
  options: {
    site: { type: 'string' },
    speed: { type: 'string' },
    scenario: { type: 'string' },
    seed: { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string' },
    minutes: { type: 'string' },
  },
});
const parsed = Args.safeParse({ ...values, token: values.token ?? process.env.ROOMWATCH_TOKEN });
if (!parsed.success) {
  console.error(`simulate: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(64); // EX_USAGE
}
const a = parsed.data;
const stop = new AbortController();
process.on('SIGINT', () => stop.abort());
process.on('SIGTERM', () => stop.abort());
console.log(`simulating ${a.site} at ${a.speed}× (${a.scenario}, seed ${a.seed}) against ${a.url}; Ctrl-C stops`);
try {
  const report = await runSimulator({
    send: httpSender(a.url.replace(/\/$/, ''), a.token),
    siteId: a.site,
    seed: a.seed,
    scenario: a.scenario,
    speed: a.speed,
    ...(a.minutes === undefined ? {} : { minutes: a.minutes }),
    signal: stop.signal,
    log: (m) => console.warn(m),
  });
  console.log(JSON.stringify({ sent: report.sent, conflicts: report.conflicts, failures: report.failures, accepted: report.byType }));
} catch (err) {
  console.error(`simulate: ${(err as Error).message}`);
  process.exit(1);
}
