import { defineConfig } from 'tsup';

// One ESM file with a shebang: a CLI is run, not imported, so no CJS build and no declarations. The bundled
// spec (dist/specs/take-control.json, imported by src/schema.ts) is inlined; the dependencies stay external.
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  banner: { js: '#!/usr/bin/env node' },
  clean: true,
  sourcemap: false,
  treeshake: true,
});
