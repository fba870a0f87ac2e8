import { defineProject } from 'vitest/config';

// The end-to-end test drives Debian's Chromium against a real vrs-server, a real agent and real borg:
// run `pnpm exec turbo run build` first (it serves apps/console/dist and runs the agent from its dist/).
export default defineProject({
  test: { name: 'console', include: ['test/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 300_000 },
});
