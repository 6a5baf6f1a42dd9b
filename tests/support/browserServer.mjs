// @ts-check
/*
 * Playwright's browser server in a process of its own, for runs that move the test clock
 * (ROOMWATCH_TEST_NOW): playwright keeps its own clock and cookie bookkeeping on the process
 * clock, which must stay the real one while the test worker's is moved. Started by
 * tests/support/browser.ts with the launch options as its argument; prints the endpoint, and
 * closes the browser when its parent goes (stdin ends).
 */
import { chromium } from 'playwright-core';

const options = JSON.parse(process.argv[2] ?? '{}');
const server = await chromium.launchServer(options);
process.stdout.write(`${server.wsEndpoint()}\n`);
const stop = () => void server.close().finally(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
