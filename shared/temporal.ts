import type { Temporal as TemporalTypes } from 'temporal-polyfill';

/**
 * The one Temporal used by shared time-zone code (business days, opening hours, forecast, handover
 * spans, alert hours): the platform's own where it has one (Chromium 144+, Firefox 139+), else
 * `temporal-polyfill` (spec-compliant, ISO and Gregorian calendars), fetched only then. The
 * top-level await keeps the polyfill out of a browser's first load when the browser does not
 * need it; Node 20 (server, tests) always takes the polyfill.
 */
export const Temporal: typeof TemporalTypes =
  (globalThis as { Temporal?: typeof TemporalTypes }).Temporal ?? (await import('temporal-polyfill')).Temporal;

/** Temporal's types (`TemporalTypes.PlainDate`, …), the same whichever implementation runs. */
export type { TemporalTypes };
