// @ts-check
// Type-checks the reference docs' TypeScript samples: packages/<api>/examples/*.ts, one per operationId, each
// with its examples/tsconfig.json (the package's source imported by its public name). A sample that no longer
// compiles against its client fails `npm test` before it can be published. The ```ts blocks of the READMEs
// (the root one and each client package's) and of the repository's docs (docs/*.md) are checked the same way:
// each is written to packages/<api>/.readme-samples/ (ignored by git) and compiled with the examples' settings.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { listApis, repoRoot } from './apis.mjs';
import { examplesDirOf } from './docs/code-samples.mjs';

const run = promisify(execFile);
const tsc = join(repoRoot, 'node_modules/.bin/tsc');

const apis = listApis();
const readmeProblems = writeReadmeSamples();

const results = await Promise.all(
  apis.flatMap((api) => [join(examplesDirOf(api.packageDir), 'tsconfig.json'), readmeSamplesDir(api)]).map(async (project) => {
    if (project.endsWith('.readme-samples')) {
      if (!existsSync(project)) return '';
      project = join(project, 'tsconfig.json');
    }
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
const failures = [...readmeProblems, ...results.filter(Boolean)];
if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}

/** @param {import('./apis.mjs').Api} api */
function readmeSamplesDir(api) {
  return join(api.packageDir, '.readme-samples');
}

/**
 * Writes every ```ts block of the READMEs and docs/*.md into the samples folder of the package it imports.
 * @returns {string[]} problems: a block that imports none of our packages cannot be checked
 */
function writeReadmeSamples() {
  for (const api of apis) rmSync(readmeSamplesDir(api), { recursive: true, force: true });
  const docsDir = join(repoRoot, 'docs');
  const docs = existsSync(docsDir) ? readdirSync(docsDir).filter((name) => name.endsWith('.md')).sort().map((name) => join(docsDir, name)) : [];
  const readmes = [join(repoRoot, 'README.md'), ...apis.map((api) => join(api.packageDir, 'README.md')), ...docs];
  const problems = [];
  for (const readme of readmes.filter((file) => existsSync(file))) {
    const blocks = [...readFileSync(readme, 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
    for (const [index, code] of blocks.entries()) {
      const where = `${relative(repoRoot, readme)}, TypeScript block ${index + 1}`;
      const api = apis.find((candidate) => code.includes(`from '@techapi/${candidate.name}'`));
      if (!api) {
        problems.push(`${where} imports no @techapi package, so it cannot be type-checked: make it a whole example`);
        continue;
      }
      const dir = readmeSamplesDir(api);
      mkdirSync(dir, { recursive: true });
      const file = `${relative(repoRoot, readme).replaceAll(/[/.]/g, '_')}-${index + 1}.ts`;
      writeFileSync(join(dir, file), `// ${where}\n${code}`);
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ extends: '../examples/tsconfig.json', include: ['*.ts'] }, null, 2),
      );
    }
  }
  return problems;
}
