import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          // Files share one registry; each file uses its own store, so files may run in parallel,
          // but the machine has 2 cores: keep it modest.
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
