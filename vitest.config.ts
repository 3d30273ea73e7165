import { defineConfig } from 'vitest/config';

// One run for the whole repo: each API package is a project whose globalSetup starts its Prism mock
// once; the repo's own scripts are a project too.
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      { test: { name: 'tools', include: ['tools/**/*.test.{mjs,ts}'] } },
    ],
    reporters: ['default', './tools/vitest/summary-reporter.mjs'],
  },
});
