import { defineConfig } from 'tsup';

// One ESM and one CJS file with their declarations; the shared client runtime is bundled in so that
// openapi-fetch stays the only runtime dependency.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: { resolve: true },
  noExternal: ['@techapi/client-core'],
  target: 'node20',
  platform: 'neutral',
  clean: true,
  sourcemap: false,
  treeshake: true,
});
