// @ts-check
// Type-checks the reference docs' TypeScript samples: packages/<api>/examples/*.ts, one per operationId, each
// with its examples/tsconfig.json (the package's source imported by its public name). A sample that no longer
// compiles against its client fails `npm test` before it can be published.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { listApis, repoRoot } from './apis.mjs';
import { examplesDirOf } from './docs/code-samples.mjs';

const run = promisify(execFile);
const tsc = join(repoRoot, 'node_modules/.bin/tsc');

const results = await Promise.all(
  listApis().map(async (api) => {
    const project = join(examplesDirOf(api.packageDir), 'tsconfig.json');
    const name = relative(repoRoot, project);
    if (!existsSync(project)) return `${name} is missing: each API's docs samples need one`;
    try {
      await run(tsc, ['-p', project], { cwd: repoRoot });
      console.log(`${name}: ok`);
      return '';
    } catch (error) {
      const { stdout = '', stderr = '' } = /** @type {{ stdout?: string, stderr?: string }} */ (error);
      return `${name}:\n${stdout}${stderr}`;
    }
  }),
);
const failures = results.filter(Boolean);
if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
