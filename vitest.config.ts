import { defineConfig } from 'vitest/config';

// Three groups, one after the other: the pure unit tests in parallel (seconds), then the integration
// files and the browser files one at a time, since they start real servers and Chromium and would fight
// over the 2-core machines' CPU and flake on timing.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        // A browser walk whose pages logged an error fails.
        test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], setupFiles: ['tests/support/console-guard.ts'], fileParallelism: false, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
