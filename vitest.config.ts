import { defineConfig } from 'vitest/config';

// Tiers by file name (CONVENTIONS.md): unit, int, docker, e2e. `npm test` runs them all.
export default defineConfig({
  test: {
    // The guard fails a full run when a tier is empty or a docker/e2e test was skipped.
    reporters: ['default', './test/helpers/tier-guard-reporter.ts'],
    projects: [
      { test: { name: 'unit', include: ['test/**/*.unit.test.ts', 'test/**/*.unit.test.tsx'] } },
      {
        test: {
          name: 'int',
          include: ['test/**/*.int.test.ts', 'test/**/*.int.test.tsx'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'docker',
          include: ['test/**/*.docker.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          fileParallelism: false,
          setupFiles: ['test/helpers/docker-tier-setup.ts'],
        },
      },
      { test: { name: 'e2e', include: ['test/**/*.e2e.test.ts'], testTimeout: 120_000 } },
    ],
  },
});
