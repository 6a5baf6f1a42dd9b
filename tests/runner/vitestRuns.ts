import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

/*
 * Shared by the date matrix (dates.ts) and the repeat runner (repeat.ts): one whole-suite Vitest
 * run with the JSON reporter, what it says, and the tables both print.
 */

/** The parts of Vitest's JSON report these runners read. */
interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
  testResults: Array<{
    name: string;
    startTime: number;
    endTime: number;
    status: string;
    message?: string;
    assertionResults: Array<{ fullName: string; status: string; duration?: number; failureMessages?: string[] }>;
  }>;
}

export interface FailedTest {
  file: string;
  name: string;
  message: string;
}

export interface RunResult {
  passed: number;
  failed: number;
  skipped: number;
  /** Failed tests, and files that failed without a test (an error while loading, a hook). */
  failures: FailedTest[];
  /** Seconds each test file took. */
  fileSeconds: Map<string, number>;
  seconds: number;
  exitCode: number;
}

/**
 * Runs the README's test command (`npm test`, i.e. `vitest run`) once in `cwd` with `env` added,
 * writing the JSON report to `jsonPath`.
 * Progress goes to this terminal (dot reporter); failures are printed by Vitest as usual.
 */
export async function runSuite(opts: { cwd: string; env?: Record<string, string>; jsonPath: string; vitestArgs?: string[] }): Promise<RunResult> {
  rmSync(opts.jsonPath, { force: true });
  const started = performance.now();
  const args = ['test', '--', '--reporter=dot', '--reporter=json', `--outputFile.json=${opts.jsonPath}`, ...(opts.vitestArgs ?? [])];
  const exitCode = await new Promise<number>((resolve) => {
    const child = spawn('npm', args, { cwd: opts.cwd, env: { ...process.env, CI: process.env.CI ?? 'true', ...opts.env }, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const seconds = (performance.now() - started) / 1000;
  if (!existsSync(opts.jsonPath)) {
    return { passed: 0, failed: 0, skipped: 0, failures: [{ file: '(run)', name: '(no report)', message: `vitest exited ${exitCode} without a JSON report` }], fileSeconds: new Map(), seconds, exitCode: exitCode || 1 };
  }
  return { ...readReport(opts.jsonPath, opts.cwd), seconds, exitCode };
}

/** Reads a Vitest JSON report; file names relative to `root`. */
export function readReport(path: string, root: string): Omit<RunResult, 'seconds' | 'exitCode'> {
  const report = JSON.parse(readFileSync(path, 'utf8')) as JsonReport;
  const failures: FailedTest[] = [];
  const fileSeconds = new Map<string, number>();
  for (const f of report.testResults) {
    const file = f.name.startsWith(`${root}/`) ? f.name.slice(root.length + 1) : f.name;
    fileSeconds.set(file, (f.endTime - f.startTime) / 1000);
    const failed = f.assertionResults.filter((a) => a.status === 'failed');
    for (const a of failed) failures.push({ file, name: a.fullName, message: failureMessage(a) });
    if (failed.length === 0 && f.status === 'failed') failures.push({ file, name: '(file)', message: firstLine(f.message ?? 'failed outside a test') });
  }
  return {
    passed: report.numPassedTests,
    failed: failures.length,
    skipped: report.numPendingTests + (report.numTodoTests ?? 0),
    failures,
    fileSeconds,
  };
}

/** The first line of the failure; a time-out reaches the JSON report only as a bare stack. */
function failureMessage(a: { duration?: number; failureMessages?: string[] }): string {
  const first = firstLine(a.failureMessages?.[0] ?? '');
  return first === 'Error: STACK_TRACE_ERROR' ? `timed out after ${Math.round((a.duration ?? 0) / 1000)} s` : first;
}

const firstLine = (s: string) => s.split('\n').find((l) => l.trim())?.trim().slice(0, 160) ?? '';

/** A plain-text table with padded columns. */
export function table(head: string[], rows: Array<Array<string | number>>): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** The slowest test files over several runs (mean and max seconds). */
export function slowestFiles(runs: RunResult[], count = 10): string {
  const all = new Map<string, number[]>();
  for (const r of runs) for (const [file, s] of r.fileSeconds) all.set(file, [...(all.get(file) ?? []), s]);
  const rows = [...all]
    .map(([file, s]) => ({ file, mean: s.reduce((a, b) => a + b, 0) / s.length, max: Math.max(...s) }))
    .sort((a, b) => b.mean - a.mean)
    .slice(0, count);
  return table(
    ['seconds (mean)', 'max', 'file'],
    rows.map((r) => [r.mean.toFixed(1), r.max.toFixed(1), r.file]),
  );
}

/** 754.2 → "12:34". */
export function minutes(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
