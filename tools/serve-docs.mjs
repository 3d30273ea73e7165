// @ts-check
// `npm run docs:serve`: serves the built docs (dist/docs/) on 127.0.0.1 until Ctrl-C.
//   npm run docs:serve                  http://127.0.0.1:8080
//   npm run docs:serve -- --port 9000   (or DOCS_PORT=9000)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from './apis.mjs';
import { startStaticServer } from './static-server.mjs';

const { values } = parseArgs({ options: { port: { type: 'string', default: process.env.DOCS_PORT ?? '8080' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got "${values.port}"`);
  process.exit(2);
}
const root = join(repoRoot, 'dist/docs');
if (!existsSync(join(root, 'index.html'))) {
  console.error('dist/docs/index.html is missing: run `npm run build` first');
  process.exit(1);
}

try {
  const server = await startStaticServer({ root, port });
  console.log(`Docs on ${server.url}/  (dist/docs). Press Ctrl-C to stop.`);
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(signal, () => server.close().then(() => process.exit(0)));
  }
} catch (error) {
  const code = /** @type {{ code?: string }} */ (error).code;
  console.error(code === 'EADDRINUSE' ? `Port ${port} is taken: pass another with --port` : error);
  process.exit(1);
}
