import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'virtualbox',
    include: ['test/**/*.test.ts', 'test-double/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
