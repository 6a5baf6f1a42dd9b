import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Temporal as Polyfill } from 'temporal-polyfill';
import { launchChromium } from '../support/browser';
import { haveChromium } from '../support/programs';

/**
 * shared/temporal.ts uses the browser's own Temporal where it has one and temporal-polyfill
 * everywhere else (the server, Node tests, Safari). The server and the screens must agree on
 * business days, opening hours, forecast hours and handover spans, so the exact calls the shared
 * code makes are run through both implementations and compared: the DST days of Copenhagen and
 * Sydney, payday night and new year's eve, every half hour across each change of the clocks.
 */
const PROBE = `(T) => {
  const out = [];
  const zones = ['Europe/Copenhagen', 'Australia/Sydney', 'America/New_York'];
  const dates = ['2026-03-28', '2026-03-29', '2026-03-30', '2026-04-05', '2026-10-04', '2026-10-24', '2026-10-25', '2026-11-01', '2026-11-30', '2026-12-31'];
  for (const timeZone of zones) {
    for (const d of dates) {
      const date = T.PlainDate.from(d);
      out.push([timeZone, d, 'startOfDay', date.toZonedDateTime({ timeZone }).epochMilliseconds]);
      for (const [h, m] of [[0, 0], [2, 30], [3, 0], [6, 0], [23, 59]]) {
        out.push([timeZone, d, h, m, date.toZonedDateTime({ timeZone, plainTime: new T.PlainTime(h, m) }).epochMilliseconds]);
      }
      out.push([timeZone, d, date.add({ days: 1 }).toString(), date.subtract({ days: 1 }).toString()]);
    }
    for (const day of ['2026-03-29', '2026-10-25', '2026-04-05', '2026-10-04', '2026-11-01', '2026-11-30']) {
      const from = T.Instant.from(day + 'T00:00:00Z').epochMilliseconds - 12 * 3600_000;
      for (let t = from; t <= from + 30 * 3600_000; t += 1800_000) {
        const z = T.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(timeZone);
        out.push([timeZone, t, z.hour, z.minute, z.dayOfWeek, z.toPlainDate().toString()]);
      }
    }
    const z = T.Instant.from('2026-10-25T01:30:00Z').toZonedDateTimeISO(timeZone);
    out.push([timeZone, 'from', z.hour, z.minute]);
  }
  let rejected = 'accepted';
  try { T.PlainDate.from('2026-02-30', { overflow: 'reject' }); } catch (e) { rejected = e.name; }
  out.push(['reject', rejected]);
  return out;
}`;

describe.skipIf(!haveChromium())("the browser's own Temporal and temporal-polyfill agree on the calls shared/ makes", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('gives the same instants, dates and hours across DST changes, payday night and new year', async () => {
    const page = await browser.newPage();
    const native = await page.evaluate(`typeof globalThis.Temporal === 'object' ? (${PROBE})(globalThis.Temporal) : null`);
    await page.close();
    if (native === null) {
      // An older Chromium: the pages then run on temporal-polyfill too, and there is nothing to compare.
      console.warn('[temporalParity] this Chromium has no built-in Temporal; screens use temporal-polyfill like the server');
      return;
    }
    const polyfill = (new Function(`return ${PROBE}`)() as (t: typeof Polyfill) => unknown[])(Polyfill);
    expect((native as unknown[]).length).toBeGreaterThan(400);
    expect(native).toEqual(polyfill);
  });
});
