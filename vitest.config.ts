import { defineConfig } from 'vitest/config';

// Tiers: tests/unit (pure), tests/store (store contract on both engines),
// tests/integration (real server on port 0, real redis-server), tests/e2e (Chromium).
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/support/globalSetup.ts'],
    // ROOMWATCH_TEST_NOW=<ISO instant> moves "now" for the run (npm run test:dates); no-op unset.
    setupFiles: ['tests/support/testNowSetup.mjs'],
    // Time limits catch hangs; they are not speed checks. Generous, because two shared cores
    // can make a CPU-heavy test (a simulated day, 10,000 commands) several times slower.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // expect.poll waits for a condition; its default second is a speed check in disguise (a
    // command through a starved server and Chromium can take longer). A failure still fails.
    expect: { poll: { timeout: 15_000, interval: 100 } },
    pool: 'forks',
    // Test files share their worker's module cache (each file still gets its own servers,
    // Redis and browser): importing the server and playwright again for every file cost a
    // minute of the suite's CPU. Tests must not keep state in modules or globals.
    isolate: false,
    // 2-core machines: keep Chromium and redis-server processes from starving each other.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
