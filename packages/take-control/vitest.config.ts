import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'take-control',
    include: ['src/**/*.test.ts'],
    globalSetup: ['../../tools/vitest/prism-global-setup.mjs'],
  },
});
