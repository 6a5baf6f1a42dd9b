// @ts-check
/*
 * Vitest setup file (every test file): with ROOMWATCH_TEST_NOW set, the file's "now" starts at
 * that instant and keeps flowing. Server processes the file spawns inherit the same offset
 * through NODE_OPTIONS (testNowChild.mjs); browser contexts get it from tests/support/browser.ts.
 */
import { NOW_VAR, OFFSET_VAR, parseTestNow, realDate, shiftNow } from './testNow.mjs';

const at = process.env[NOW_VAR];
if (at) {
  const offset = parseTestNow(at) - realDate().now();
  shiftNow(offset);
  process.env[OFFSET_VAR] = String(offset);
  const preload = `--import ${new URL('./testNowChild.mjs', import.meta.url).href}`;
  const options = process.env.NODE_OPTIONS ?? '';
  if (!options.includes(preload)) process.env.NODE_OPTIONS = `${options} ${preload}`.trim();
}
