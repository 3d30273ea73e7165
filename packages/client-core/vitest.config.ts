import { defineProject } from 'vitest/config';

// The shared runtime's own tests: each file starts the real local servers it needs, no Prism.
export default defineProject({
  test: {
    name: 'client-core',
    include: ['src/**/*.test.ts'],
  },
});
