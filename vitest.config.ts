import { defineConfig } from 'vitest/config';

// One run over every package, so CI prints one summary. Packages must be built first (`pnpm test` does it):
// workers and the CLI run from dist/.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'infra'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '.work/test-results.json' }]],
  },
});
