import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { minutes, readReport, slowestFiles, table } from '../runner/vitestRuns';

/* The date matrix and the repeat runner read Vitest's JSON report: what they count as failed. */
describe('test runners: reading a Vitest JSON report', () => {
  const root = '/repo';
  const report = {
    numPassedTests: 3,
    numFailedTests: 2,
    numPendingTests: 1,
    numTodoTests: 0,
    testResults: [
      {
        name: '/repo/tests/e2e/a.test.ts',
        startTime: 1_000,
        endTime: 31_000,
        status: 'failed',
        assertionResults: [
          { fullName: 'a works', status: 'passed', duration: 10 },
          { fullName: 'a waits', status: 'failed', duration: 120_004, failureMessages: ['Error: STACK_TRACE_ERROR\n    at task (x.js:1:1)'] },
          { fullName: 'a counts', status: 'failed', duration: 5, failureMessages: ['\nAssertionError: expected 70 to be 71\n    at y'] },
        ],
      },
      { name: '/repo/tests/unit/b.test.ts', startTime: 0, endTime: 500, status: 'passed', assertionResults: [{ fullName: 'b', status: 'passed' }] },
      { name: '/repo/tests/unit/c.test.ts', startTime: 0, endTime: 100, status: 'failed', message: 'Failed to load url ./missing', assertionResults: [] },
    ],
  };
  const path = join(mkdtempSync(join(tmpdir(), 'rw-report-')), 'r.json');
  writeFileSync(path, JSON.stringify(report));

  it('lists failed tests with their first line (a time-out said as one), and files that failed outside a test', () => {
    const r = readReport(path, root);
    expect(r.failures).toEqual([
      { file: 'tests/e2e/a.test.ts', name: 'a waits', message: 'timed out after 120 s' },
      { file: 'tests/e2e/a.test.ts', name: 'a counts', message: 'AssertionError: expected 70 to be 71' },
      { file: 'tests/unit/c.test.ts', name: '(file)', message: 'Failed to load url ./missing' },
    ]);
    expect(r.failed).toBe(3);
    expect(r.passed).toBe(3);
    expect(r.skipped).toBe(1);
    expect(r.fileSeconds.get('tests/e2e/a.test.ts')).toBe(30);
  });

  it('prints padded tables and the slowest files', () => {
    expect(table(['a', 'bb'], [[1, 'x'], ['long', 'y']]).split('\n')).toEqual(['a     bb', '----  --', '1     x', 'long  y']);
    const r = { ...readReport(path, root), seconds: 1, exitCode: 1 };
    expect(slowestFiles([r, r], 1).split('\n').at(-1)).toBe('30.0            30.0  tests/e2e/a.test.ts');
    expect(minutes(754.6)).toBe('12:35');
    expect(minutes(59.6)).toBe('1:00');
  });
});
