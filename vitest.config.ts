import { defineConfig } from 'vitest/config';

// One run for the whole repo: each API package is a project, the repo's own scripts are one too, and
// the globalSetup starts one Prism mock per API for all of them.
export default defineConfig({
  test: {
    globalSetup: ['./tools/vitest/prism-global-setup.mjs'],
    projects: [
      'packages/*/vitest.config.ts',
      { test: { name: 'tools', include: ['tools/**/*.test.{mjs,ts}'] } },
    ],
    // The coverage gate prints before the summary, whose count line stays the run's last.
    reporters: ['default', './tools/vitest/contract-coverage-reporter.mjs', './tools/vitest/summary-reporter.mjs'],
  },
});
