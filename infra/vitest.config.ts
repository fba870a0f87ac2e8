import { defineProject } from 'vitest/config';

// infra/ is no workspace package: its tests (the two-host lab and the fault tests on it) run in the root's single
// vitest run. They wait on lab links, restarts and backoffs far more than they compute (a fault file keeps about a
// quarter of a core busy), so they run as a group of their own, after the packages' tests, all files side by side.
export default defineProject({
  test: {
    name: 'infra',
    include: ['lab/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    sequence: { groupOrder: 1 },
    maxWorkers: 6,
  },
});
