import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, Result } from 'axe-core';
import type { Page } from 'playwright-core';

/** axe-core's browser bundle, read once per test file. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.2 AA rule set: every A and AA rule of WCAG 2.0, 2.1 and 2.2. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Impacts that fail a test; moderate and minor ones are printed but do not fail. */
const BLOCKING = new Set(['critical', 'serious']);

/**
 * Runs axe-core on the page as it is now (its current state: sheet open, banner shown…) with
 * the WCAG 2.2 AA rules. The source goes in through the DevTools protocol (page.evaluate), so the
 * app's Content-Security-Policy, which forbids inline scripts, stays in force for the page.
 */
export async function axeScan(page: Page, include?: string[]): Promise<AxeResults> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    ([tags, include]) =>
      (window as unknown as { axe: typeof import('axe-core') }).axe.run(include ? { include: include.map((s) => [s]) } : document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    [WCAG_AA_TAGS, include] as const,
  );
}

/** One line per violation and failing element: impact, rule id, target, help and its link. */
export function describeViolations(violations: Result[]): string {
  return violations
    .flatMap((v) => v.nodes.map((n) => `  [${v.impact}] ${v.id} at ${n.target.join(' ')}: ${v.help} (${v.helpUrl})\n      ${n.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`))
    .join('\n');
}

/**
 * The critical and serious WCAG violations on the page now, as printable lines (empty when
 * there are none). Lesser ones are logged so they stay visible without failing the test.
 * `include` limits the check to what a state added (an open sheet, a notice): the rest of the
 * page was checked in its own state, and axe's cost grows with the page.
 */
export async function blockingViolations(page: Page, state: string, include?: string[]): Promise<string> {
  const { violations } = await axeScan(page, include);
  const blocking = violations.filter((v) => BLOCKING.has(v.impact ?? ''));
  const lesser = violations.filter((v) => !BLOCKING.has(v.impact ?? ''));
  if (lesser.length) console.warn(`axe (${state}), not blocking:\n${describeViolations(lesser)}`);
  return blocking.length ? `${state}:\n${describeViolations(blocking)}` : '';
}
