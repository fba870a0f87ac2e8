import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'block-engine', include: ['test/**/*.test.ts'] } });
