import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'take-control',
    include: ['src/**/*.test.ts'],
    // Type-level contract tests (*.test-d.ts): checked by tsc, reported as tests.
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
