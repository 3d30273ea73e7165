import { defineProject } from 'vitest/config';

// The validator's own tests, on small specs written for them: no server.
export default defineProject({
  test: {
    name: 'openapi-validator',
    include: ['src/**/*.test.mjs'],
  },
});
