import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { named } from './matrixDates';
import { minutes, runSuite, slowestFiles, table, type RunResult } from './vitestRuns';

/*
 * The repeat runner: the whole suite N times on a clean clone of HEAD, then a table of every
 * test that failed at least once. A test that fails once in twenty runs is a defect.
 *
 *   npm run test:repeat -- 5                    five runs on a fresh clone (npm ci there)
 *   npm run test:repeat -- 5 --link             …using this checkout's node_modules (same lock file)
 *   npm run test:repeat -- 3 --date payday-night   …as if it were another day (see dates.ts)
 *   npm run test:repeat -- 20 -- tests/e2e/console.test.ts   arguments after `--` go to vitest
 *   --keep                                      keep the clone (its path is printed)
 */

function parseArgs(argv: string[]) {
  const split = argv.indexOf('--');
  const own = split < 0 ? argv : argv.slice(0, split);
  const vitestArgs = split < 0 ? [] : argv.slice(split + 1);
  let runs = NaN;
  let link = false;
  let keep = false;
  let at: string | null = null;
  for (let i = 0; i < own.length; i++) {
    const a = own[i]!;
    if (a === '--link') link = true;
    else if (a === '--keep') keep = true;
    else if (a === '--date') at = named(own[++i] ?? '', usage).at;
    else if (/^\d+$/.test(a)) runs = Number(a);
    else usage(`unknown argument ${a}`);
  }
  if (!(runs >= 1)) usage('how many runs? e.g. npm run test:repeat -- 5');
  return { runs, link, keep, at, vitestArgs };
}

function usage(problem?: string): never {
  if (problem) console.error(problem);
  console.error('usage: npm run test:repeat -- N [--link] [--keep] [--date name|ISO] [-- vitest args]');
  process.exit(problem ? 2 : 0);
}

const sh = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, stdio: 'inherit' });
const git = (args: string[], cwd: string) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

async function main(): Promise<void> {
  const { runs, link, keep, at, vitestArgs } = parseArgs(process.argv.slice(2));
  const here = git(['rev-parse', '--show-toplevel'], process.cwd());
  const head = git(['rev-parse', 'HEAD'], here);
  if (git(['status', '--porcelain', '--untracked-files=no'], here)) {
    console.warn('!!! uncommitted changes are not part of the clone: the runs test HEAD as committed');
  }
  const clone = mkdtempSync(join(tmpdir(), 'roomwatch-repeat-'));
  console.log(`== clean clone of ${head.slice(0, 12)} in ${clone}`);
  sh('git', ['clone', '--quiet', '--no-checkout', here, clone], here);
  sh('git', ['checkout', '--quiet', '--detach', head], clone);
  const sameLock = existsSync(join(here, 'node_modules')) && readFileSync(join(here, 'package-lock.json'), 'utf8') === readFileSync(join(clone, 'package-lock.json'), 'utf8');
  if (link && sameLock) {
    console.log('== node_modules: linked to this checkout (same package-lock.json)');
    symlinkSync(join(here, 'node_modules'), join(clone, 'node_modules'), 'dir');
  } else {
    if (link) console.log('== package-lock.json differs from this checkout: npm ci after all');
    console.log('== npm ci');
    sh('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], clone);
  }
  console.log('== client build (once, shared by every run)');
  sh('npm', ['run', '--silent', 'build'], clone);

  const started = performance.now();
  const results: RunResult[] = [];
  for (let i = 1; i <= runs; i++) {
    console.log(`\n== run ${i} of ${runs}${at ? ` as if it were ${at}` : ''}`);
    const r = await runSuite({ cwd: clone, env: at ? { ROOMWATCH_TEST_NOW: at } : {}, jsonPath: join(clone, `repeat-${i}.json`), vitestArgs });
    results.push(r);
    console.log(`== run ${i}: ${r.passed} passed, ${r.failed} failed in ${minutes(r.seconds)}`);
  }

  const byTest = new Map<string, { file: string; name: string; count: number; message: string }>();
  for (const r of results) {
    for (const f of r.failures) {
      const key = `${f.file}\u0000${f.name}`;
      const seen = byTest.get(key);
      if (seen) seen.count++;
      else byTest.set(key, { ...f, count: 1 });
    }
  }
  console.log(`\n== ${runs} runs of ${head.slice(0, 12)}${at ? ` as if it were ${at}` : ''}`);
  console.log(table(['run', 'passed', 'failed', 'skipped', 'time'], results.map((r, i) => [i + 1, r.passed, r.failed, r.skipped, minutes(r.seconds)])));
  console.log('\n== tests that failed at least once');
  console.log(
    byTest.size === 0
      ? `none: every test passed in all ${runs} runs`
      : table(
          ['failures', 'test', 'file', 'first message'],
          [...byTest.values()].sort((a, b) => b.count - a.count).map((t) => [`${t.count}/${runs}`, t.name, t.file, t.message]),
        ),
  );
  console.log('\n== slowest test files');
  console.log(slowestFiles(results));
  console.log(`\nall runs: ${minutes((performance.now() - started) / 1000)}`);
  if (keep) console.log(`clone kept: ${clone}`);
  else rmSync(clone, { recursive: true, force: true });
  process.exitCode = byTest.size > 0 || results.some((r) => r.exitCode !== 0) ? 1 : 0;
}

await main();
