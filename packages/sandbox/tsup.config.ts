// The clients' build (tools/tsup-package.mjs), for a Node server: the library and its bin, ESM and CJS with
// declarations. The shared validator is bundled in (it is never published); Ajv stays a dependency. The
// bundled specs are imported as JSON, so they travel inside the JS.
import { defineConfig } from 'tsup';
import clientBuild from '../../tools/tsup-package.mjs';

export default defineConfig({
  ...clientBuild,
  entry: ['src/index.ts', 'src/msw.ts', 'src/cli.ts'],
  platform: 'node',
  // Only the package's own types are public: node's stay imported from @types/node.
  dts: true,
  noExternal: [/^@techapi\/openapi-validator/],
});
