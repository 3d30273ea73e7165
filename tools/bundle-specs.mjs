// @ts-check
// Bundles each API's split spec into one file, as YAML and as JSON: the published contract that the
// generator, the mock, the docs and the tests all read.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { listApis, repoRoot } from './apis.mjs';

const redocly = join(repoRoot, 'node_modules/.bin/redocly');

for (const api of listApis()) {
  for (const output of [api.bundledYaml, api.bundledJson]) {
    execFileSync(redocly, ['bundle', api.name, '--output', output], { cwd: repoRoot, stdio: 'inherit' });
  }
}
