import { defineConfig } from 'vitest/config';

// One run over every package, so CI prints one summary. Packages must be built first (`pnpm test` does it):
// workers and the CLI run from dist/.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'infra'],
    // Two test files at a time: most of them wait on child processes (borg, the VirtualBox double, the lab's
    // network), so two overlap well on these 2-core machines (vitest's default here would be one).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '.work/test-results.json' }]],
  },
});
