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
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // 2-core machines: keep Chromium and redis-server processes from starving each other.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
