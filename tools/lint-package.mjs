// @ts-check
// Checks what a consumer of a published package gets, from the tarball `npm pack` makes of it:
// - only dist JS and its declarations, README.md, LICENSE (the root LICENSE, same bytes), CHANGELOG.md;
// - publint finds nothing, not even a suggestion (strict);
// - Are The Types Wrong finds nothing under its "node16" profile: node16 from CJS and from ESM, and bundler.
//   (That profile leaves out node10, TypeScript's pre-`exports` resolution, which cannot see subpaths such
//   as `/node`; the root entry still resolves there through `main` and `types`.)
// Run in a package directory, after its build: `lint:package` in packages/<api>/package.json (turbo).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { repoRoot } from './apis.mjs';

const REQUIRED = ['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json'];
const DIST_FILE = /^dist\/[^/]+\.(js|cjs|d\.ts|d\.cts)$/;

/**
 * @typedef {object} PackResult
 * @property {string} filename
 * @property {number} size          tarball bytes
 * @property {number} unpackedSize
 * @property {{ path: string, size: number }[]} files
 */

/** @param {string} packageDir @param {string} destination @returns {PackResult} */
export function pack(packageDir, destination) {
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: packageDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [result] = JSON.parse(output);
  return result;
}

/** @param {PackResult} packed @param {string} packageDir @returns {string[]} problems */
export function contentProblems(packed, packageDir) {
  const paths = packed.files.map((file) => file.path);
  // A bin's small committed loader of dist/ (bin/*.js): committed so that `npm ci` links it before the first build.
  const bin = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).bin ?? {};
  const bins = Object.values(typeof bin === 'string' ? { bin } : bin).map((path) => String(path).replace(/^\.\//, ''));
  const problems = [
    ...paths.filter((path) => !REQUIRED.includes(path) && !DIST_FILE.test(path) && !bins.includes(path)).map((path) => `${path} should not be published`),
    ...REQUIRED.filter((path) => !paths.includes(path)).map((path) => `${path} is missing from the tarball`),
  ];
  if (!paths.some((path) => path.startsWith('dist/'))) problems.push('dist/ is missing from the tarball: build first');
  const license = readFileSync(join(packageDir, 'LICENSE'), 'utf8');
  if (license !== readFileSync(join(repoRoot, 'LICENSE'), 'utf8')) {
    problems.push(`LICENSE differs from the root LICENSE: cp LICENSE ${relative(repoRoot, packageDir)}/LICENSE`);
  }
  return problems;
}

/** @param {string} tarball @returns {Promise<string[]>} problems */
export async function publintProblems(tarball) {
  const bytes = readFileSync(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    level: 'suggestion',
    strict: true,
  });
  return messages.map((message) => `publint ${message.type}: ${formatMessage(message, pkg, { color: false })}`);
}

/** @param {string} tarball @returns {{ ok: boolean, output: string }} */
export function attw(tarball) {
  const run = spawnSync(join(repoRoot, 'node_modules/.bin/attw'), [tarball, '--profile', 'node16', '--format', 'table-flipped', '--no-color', '--no-emoji'], {
    encoding: 'utf8',
  });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() };
}

async function main() {
  const packageDir = process.cwd();
  const destination = mkdtempSync(join(tmpdir(), 'lint-package-'));
  try {
    const packed = pack(packageDir, destination);
    const tarball = join(destination, packed.filename);
    const problems = [...contentProblems(packed, packageDir), ...(await publintProblems(tarball))];
    const types = attw(tarball);
    if (!types.ok) problems.push(`attw found problems:\n${types.output}`);

    console.log(`${packed.filename}: ${packed.size} B packed, ${packed.unpackedSize} B unpacked`);
    for (const file of packed.files) console.log(`  ${String(file.size).padStart(7)} ${file.path}`);
    console.log(types.output);
    if (problems.length > 0) {
      console.error(problems.join('\n'));
      process.exitCode = 1;
    } else {
      console.log('publint: no problem; attw: no problem');
    }
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
