import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import ts from 'typescript';
import * as zoned from '../../shared/zonedTime';
import { launchChromium } from '../support/browser';
import { haveChromium } from '../support/programs';

/**
 * shared/zonedTime.ts reads time zones from the runtime's own Intl data: Node's on the server,
 * the browser's on the screens. They must agree on business days, opening hours, forecast hours
 * and handover spans, so the module itself runs in Chromium and in Node on the same calls: the
 * DST days of Copenhagen, Sydney and New York, payday night and new year's eve, every half hour
 * across each change of the clocks. (Against Temporal it is checked in tests/unit/zonedTime.test.ts.)
 */
const PROBE = (z: typeof zoned): unknown[] => {
  const out: unknown[] = [];
  const zones = ['Europe/Copenhagen', 'Australia/Sydney', 'America/New_York'];
  const dates = ['2026-03-28', '2026-03-29', '2026-03-30', '2026-04-05', '2026-10-04', '2026-10-24', '2026-10-25', '2026-11-01', '2026-11-30', '2026-12-31'];
  for (const timeZone of zones) {
    for (const d of dates) {
      for (const minute of [0, 150, 180, 360, 1439, 1440 + 90]) out.push([timeZone, d, minute, z.zonedEpoch(d, minute, timeZone)]);
    }
    for (const day of ['2026-03-29', '2026-10-25', '2026-04-05', '2026-10-04', '2026-11-01', '2026-11-30']) {
      const from = Date.parse(`${day}T00:00:00Z`) - 12 * 3600_000;
      for (let t = from; t <= from + 30 * 3600_000; t += 1800_000) out.push([timeZone, t, z.zonedParts(t, timeZone)]);
    }
  }
  out.push(['dates', ['2026-02-28', '2026-02-30', '2028-02-29', '2026-2-3'].map(z.isIsoDate)]);
  return out;
};

/** The module as a script the page can run: TypeScript stripped, its exports returned. */
function moduleSource(path: string): string {
  const js = ts.transpileModule(readFileSync(path, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  return `(() => { const exports = {}; ${js}; return exports; })()`;
}

describe.skipIf(!haveChromium())("the browser's Intl and Node's agree on every wall-clock conversion shared/ makes", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('gives the same instants, dates and hours across DST changes, payday night and new year', async () => {
    const page = await browser.newPage();
    const inBrowser = await page.evaluate(`(${PROBE.toString()})(${moduleSource('shared/zonedTime.ts')})`);
    await page.close();
    const inNode = PROBE(zoned);
    expect(inNode.length).toBeGreaterThan(400);
    expect(inBrowser).toEqual(inNode);
  });
});
