// @ts-check
import { ServerResponse } from 'node:http';

/*
 * Test-only: moves "now" for a whole process, for the date matrix (`npm run test:dates`).
 * No production code imports this. Plain JavaScript so that spawned server processes can load
 * it with `--import` before any TypeScript loader is registered.
 *
 * Only wall-clock time moves: `Date.now()` and `new Date()` return the real time plus a fixed
 * offset, so time keeps flowing; `performance`, timers and `new Date(x)` stay real. The HTTP
 * `Date` header moves too (Node makes it with its own, untouched Date), as it would on a server
 * whose clock says that date; the wall's pairing countdown, for one, trusts it.
 */

/** The variable a person sets: an ISO instant with an offset or Z, e.g. 2026-11-30T00:30+01:00. */
export const NOW_VAR = 'ROOMWATCH_TEST_NOW';
/** Set by the test worker for its child processes, so they share its clock to the millisecond. */
export const OFFSET_VAR = 'ROOMWATCH_TEST_NOW_OFFSET_MS';

const REAL = Symbol.for('roomwatch.test.realDate');
const OFFSET = Symbol.for('roomwatch.test.offset');
const DATE_HEADER = Symbol.for('roomwatch.test.dateHeader');

/** The original Date, even after a shift. */
export function realDate() {
  /** @type {Record<symbol, DateConstructor | undefined>} */
  const g = /** @type {any} */ (globalThis);
  return g[REAL] ?? Date;
}

/**
 * Parses ROOMWATCH_TEST_NOW. An instant without an offset would depend on the machine's time
 * zone (and be ambiguous on DST nights), so it is refused.
 * @param {string} text
 * @returns {number} epoch ms
 */
export function parseTestNow(text) {
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text.trim());
  const ms = ok ? realDate().parse(text.trim()) : NaN;
  if (Number.isNaN(ms)) throw new Error(`${NOW_VAR}="${text}" is not an ISO instant with an offset or Z (e.g. 2026-11-30T00:30+01:00)`);
  return ms;
}

/**
 * Replaces globalThis.Date with a stand-in whose now() and no-argument constructor are `offsetMs`
 * ahead of the real clock (behind when negative). `instanceof Date` and every static stay as
 * they were. Calling it again replaces the offset.
 * @param {number} offsetMs
 */
export function shiftNow(offsetMs) {
  /** @type {any} */
  const g = globalThis;
  const Real = realDate();
  g[REAL] = Real;
  const now = () => Real.now() + offsetMs;
  g[OFFSET] = offsetMs;
  if (!g[DATE_HEADER]) {
    g[DATE_HEADER] = true;
    const writeHead = ServerResponse.prototype.writeHead;
    /** @this {ServerResponse} */
    const patched = function (/** @type {any[]} */ ...args) {
      if (g[OFFSET] && this.sendDate && !this.headersSent && !this.hasHeader('date')) this.setHeader('date', new Real(Real.now() + g[OFFSET]).toUTCString());
      return /** @type {any} */ (writeHead).apply(this, args);
    };
    ServerResponse.prototype.writeHead = /** @type {any} */ (patched);
  }
  g.Date = new Proxy(Real, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length ? args : [now()], newTarget === g.Date ? target : newTarget),
    apply: () => new Real(now()).toString(),
    get: (target, key) => (key === 'now' ? now : Reflect.get(target, key)),
  });
}
