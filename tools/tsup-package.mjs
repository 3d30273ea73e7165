// @ts-check
// The build of every published client package (each package's tsup.config.ts re-exports it): ESM and
// CJS files with their declarations, for the portable entry and the Node one. The shared client runtime
// is bundled in, so the runtime dependencies stay openapi-fetch and (Node entry, loaded lazily) undici.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm', 'cjs'],
  dts: { resolve: true },
  noExternal: [/^@techapi\/client-core/],
  target: 'node20',
  platform: 'neutral',
  clean: true,
  sourcemap: false,
  treeshake: true,
});
