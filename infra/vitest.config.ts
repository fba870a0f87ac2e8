import { defineProject } from 'vitest/config';

// infra/ is no workspace package: its tests (the two-host lab) run in the root's single vitest run.
export default defineProject({
  test: { name: 'infra', include: ['lab/test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 60_000 },
});
