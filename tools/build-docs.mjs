// @ts-check
// Renders each API's bundled spec as a Redocly reference page: dist/docs/<api>.html.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { listApis, repoRoot } from './apis.mjs';

const redocly = join(repoRoot, 'node_modules/.bin/redocly');

for (const api of listApis()) {
  execFileSync(redocly, ['build-docs', api.bundledYaml, '--output', api.docsHtml], { cwd: repoRoot, stdio: 'inherit' });
}
