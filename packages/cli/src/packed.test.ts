// The package as a user gets it: the tarballs `npm pack` makes of the CLI and of the two clients it uses,
// installed into a throwaway project, then `npx techapi` there, on the Node that runs the tests and on Node 24 (from the
// npm registry, `npx -p node@24`). A dry run proves the spec travelled inside the build.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack } from '../../../tools/lint-package.mjs';
import { repoRoot } from '../../../tools/apis.mjs';
import { cleanEnv, tempDir } from './testing/run.js';

const run = promisify(execFile);
const { dir, remove } = tempDir('cli-packed-');
afterAll(remove);
const sh = (command: string) => run('sh', ['-c', command], { cwd: dir, env: cleanEnv(), timeout: 120_000 });

describe('the packed tarball, installed and run with npx', () => {
  beforeAll(async () => {
    const tarballs = ['take-control', 'technicien', 'cli'].map((name) => join(dir, pack(join(repoRoot, 'packages', name), dir).filename));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cli-consumer', private: true, type: 'module' }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', ...tarballs], { cwd: dir, timeout: 120_000 });
    writeFileSync(join(dir, 'people.csv'), 'email,name\njane@example.com,Jane\nnot-an-email,Bad\n');
  }, 180_000);

  it('npx techapi --help works on this Node', { timeout: 60_000 }, async () => {
    const { stdout } = await sh('node --version && npx techapi --help');
    expect(stdout.startsWith(`${process.version.split('.')[0]}.`)).toBe(true);
    expect(stdout).toContain('Usage: techapi [options] [command]');
  });

  it('npx techapi --help works on Node 24, and a dry run checks rows with the spec it carries', { timeout: 120_000 }, async () => {
    // The dry run's exit code is kept, not swallowed: one invalid row makes it 1.
    const { stdout } = await sh(`npx -y -p node@24 -c 'node --version && techapi --help && { techapi take-control import people.csv --dry-run --json; echo "exit=$?"; }'`);
    expect(stdout).toMatch(/^v24\./);
    expect(stdout).toContain('Usage: techapi [options] [command]');
    const [json, exit] = stdout.trimEnd().split('\n').slice(-2);
    expect(exit).toBe('exit=1');
    expect(JSON.parse(json ?? '')).toMatchObject({ total: 2, valid: 1, invalid: 1 });
  });
});
