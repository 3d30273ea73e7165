import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'technicien',
    include: ['src/**/*.test.ts'],
    globalSetup: ['../../tools/vitest/prism-global-setup.mjs'],
  },
});
