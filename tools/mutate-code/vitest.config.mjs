// @ts-check
// The vitest run StrykerJS drives for one package (tools/mutate-code/index.mjs sets MUTATE_PACKAGE): that
// package's own project alone, without the repo's reporters and without the Prism globalSetup, which
// neither client-core's nor the sandbox's nor the CLI's tests read.
import { defineConfig } from 'vitest/config';

const target = process.env.MUTATE_PACKAGE;
if (!target) throw new Error('MUTATE_PACKAGE is not set: run `npm run mutate:code -- <package>`');

export default defineConfig({
  test: { projects: [`packages/${target}/vitest.config.ts`] },
});
