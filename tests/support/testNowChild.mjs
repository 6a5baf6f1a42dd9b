// @ts-check
/*
 * Preloaded (`node --import`) into processes a test spawns while ROOMWATCH_TEST_NOW is set:
 * they take the test worker's clock offset, so a server process and its test agree on "now".
 */
import { OFFSET_VAR, shiftNow } from './testNow.mjs';

const offset = Number(process.env[OFFSET_VAR]);
if (process.env[OFFSET_VAR] && Number.isFinite(offset)) shiftNow(offset);
