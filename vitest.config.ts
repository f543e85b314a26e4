import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/support/console-guard.ts'],
    // Integration and browser tests start real servers and Chromium: run files one at a time
    // on the 2-core machines rather than fighting over CPU and flaking on timing.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
