import { defineConfig } from 'vitest/config';

// One run for the whole repo: each API package is a project whose globalSetup starts its Prism mock
// once; the repo's own scripts are a project too.
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      { test: { name: 'tools', include: ['tools/**/*.test.{mjs,ts}'] } },
    ],
    // The coverage gate prints before the summary, whose count line stays the run's last.
    reporters: ['default', './tools/vitest/contract-coverage-reporter.mjs', './tools/vitest/summary-reporter.mjs'],
  },
});
