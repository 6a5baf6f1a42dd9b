import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATES, named, type Planned } from './matrixDates';
import { minutes, runSuite, slowestFiles, table, type RunResult } from './vitestRuns';

/*
 * The date matrix: the whole suite once per "today" (ROOMWATCH_TEST_NOW, see
 * tests/support/testNow.mjs), then a table of date × passed/failed and the slowest files.
 *
 *   npm run test:dates                          the real date, then every date below
 *   npm run test:dates -- --ci                  the real date, spring-dst and payday-night
 *   npm run test:dates -- --ci --budget-minutes 15
 *                                               …and more dates while the next run still fits
 *   npm run test:dates -- --dates year-end,2027-01-29T09:00+01:00
 *                                               named dates or any ISO instant with an offset
 *   npm run test:dates -- --dates payday-night -- tests/e2e
 *                                               arguments after a second `--` go to vitest
 */

/**
 * Test files whose every step runs on a clock they set themselves (a whole simulated payday on
 * fixed dates): the same at any "today", and long, so the matrix runs them once.
 */
const OWN_CLOCK_FILES = ['tests/e2e/realDay.test.ts'];

/** What CI always runs (the real date first); others follow while the time budget allows. */
const CI_DATES = ['real', 'spring-dst', 'payday-night'];
const CI_EXTRA = ['year-end', 'autumn-dst', 'payday-eve', 'spring-eve'];

function parseArgs(argv: string[]) {
  const split = argv.indexOf('--');
  const own = split < 0 ? argv : argv.slice(0, split);
  const vitestArgs = split < 0 ? [] : argv.slice(split + 1);
  let required: Planned[] = DATES.map((d) => ({ name: d.name, at: d.at }));
  let extra: Planned[] = [];
  let budgetMinutes: number | null = null;
  for (let i = 0; i < own.length; i++) {
    const a = own[i]!;
    if (a === '--ci') {
      required = CI_DATES.map((n) => named(n, usage));
      extra = CI_EXTRA.map((n) => named(n, usage));
    } else if (a === '--dates') {
      required = (own[++i] ?? '').split(',').filter(Boolean).map((n) => named(n, usage));
      extra = [];
    } else if (a === '--budget-minutes') {
      budgetMinutes = Number(own[++i]);
      if (Number.isNaN(budgetMinutes)) usage(`--budget-minutes needs a number of minutes`);
      budgetMinutes = Math.max(0, budgetMinutes); // none left: only the required dates
    } else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument ${a}`);
  }
  if (budgetMinutes === null) extra = [];
  return { required, extra, budgetMinutes, vitestArgs };
}

function usage(problem?: string): never {
  if (problem) console.error(problem);
  console.error('usage: npm run test:dates -- [--ci] [--dates name,…|ISO,…] [--budget-minutes N] [-- vitest args]');
  console.error(table(['name', 'instant', 'why'], DATES.map((d) => [d.name, d.at ?? '(now)', d.why])));
  process.exit(problem ? 2 : 0);
}

async function main(): Promise<void> {
  const { required, extra, budgetMinutes, vitestArgs } = parseArgs(process.argv.slice(2));
  const root = process.cwd();
  const dir = mkdtempSync(join(tmpdir(), 'roomwatch-dates-'));
  const started = performance.now();
  const done: Array<{ date: Planned; result: RunResult; startedAt: string }> = [];
  const queue = [...required];
  const optional = [...extra];
  while (queue.length || optional.length) {
    let date = queue.shift();
    if (!date) {
      // Only while another whole run (as long as the longest so far) still fits in the budget.
      const elapsed = (performance.now() - started) / 1000;
      const longest = Math.max(...done.map((d) => d.result.seconds));
      if (budgetMinutes === null || elapsed + longest > budgetMinutes * 60) {
        console.log(`\n== time budget (${budgetMinutes} min): not run now: ${optional.map((d) => d.name).join(', ')}`);
        break;
      }
      date = optional.shift()!;
    }
    console.log(`\n== tests as if it were ${date.at ?? 'now (the real date)'} [${date.name}]`);
    const startedAt = `${new Date().toISOString().slice(0, 16)}Z (now)`;
    // Files that fix their own clock for everything they do gain nothing from another "today":
    // they run once, at the real date (or at the first date when the real one is not asked for).
    const skipOwnClock = done.length > 0 && date.at ? OWN_CLOCK_FILES.flatMap((f) => ['--exclude', f]) : [];
    const result = await runSuite({ cwd: root, env: date.at ? { ROOMWATCH_TEST_NOW: date.at } : {}, jsonPath: join(dir, `${done.length}.json`), vitestArgs: [...skipOwnClock, ...vitestArgs] });
    done.push({ date, result, startedAt });
    console.log(`== ${date.name}: ${result.passed} passed, ${result.failed} failed in ${minutes(result.seconds)}`);
  }

  console.log('\n== date matrix');
  console.log(
    table(
      ['date', 'as if it were', 'passed', 'failed', 'skipped', 'time'],
      done.map(({ date, result, startedAt }) => [date.name, date.at ?? startedAt, result.passed, result.failed, result.skipped, minutes(result.seconds)]),
    ),
  );
  const failed = done.filter((d) => d.result.failures.length > 0);
  console.log(failed.length ? '\n== failed tests' : '\nno test failed at any date');
  for (const { date, result } of failed) {
    for (const f of result.failures) console.log(`${date.name}: ${f.file} › ${f.name}\n    ${f.message}`);
  }
  console.log('\n== slowest test files');
  console.log(slowestFiles(done.map((d) => d.result)));
  console.log(`\nwhole matrix: ${minutes((performance.now() - started) / 1000)}`);
  process.exitCode = done.some((d) => d.result.failed > 0 || d.result.exitCode !== 0) ? 1 : 0;
}

await main();
