// @ts-check
// Breaking-change gate: compares each API's bundled spec (dist/specs/<api>.json, from `npm run build`) with
// the spec of its last release (specs/<api>/released/openapi.json, written by tools/release.mjs) using
// Optic's breaking-change rules (removed operation or response property, newly required request property,
// narrowed enum, changed type, ...). A breaking change fails unless it is marked major: the spec's
// info.version major is above the released one, or a pending changeset bumps the package major.
//   npm run spec:diff
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { listApis, repoRoot } from './apis.mjs';
import { parseVersion, releasePlan } from './changesets.mjs';

const optic = join(repoRoot, 'node_modules/.bin/optic');

/** @param {import('./apis.mjs').Api} api */
export function releasedSpecFile(api) {
  return join(api.specDir, 'released/openapi.json');
}

/**
 * The breaking changes from `releasedFile` to `currentFile`, one line each (operation, where, rule).
 * @param {string} releasedFile @param {string} currentFile @returns {Promise<string[]>}
 */
export async function findBreakingChanges(releasedFile, currentFile) {
  const released = JSON.parse(readFileSync(releasedFile, 'utf8'));
  const current = JSON.parse(readFileSync(currentFile, 'utf8'));
  // Optic skips its checks when info.version's major went up; we decide that ourselves (below), so it
  // always compares the two under the released version number.
  current.info.version = released.info.version;
  const dir = mkdtempSync(join(tmpdir(), 'spec-diff-'));
  try {
    writeFileSync(join(dir, 'released.json'), JSON.stringify(released));
    writeFileSync(join(dir, 'current.json'), JSON.stringify(current));
    const { code, output } = await run(optic, ['diff', 'released.json', 'current.json', '--check'], dir);
    const breaking = parseOpticFailures(output);
    if (code !== 0 && breaking.length === 0) throw new Error(`optic diff failed (exit ${code}):\n${output}`);
    if (code === 0 && breaking.length > 0) throw new Error(`optic diff passed yet printed failures:\n${output}`);
    return breaking;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Optic's text report, reduced to one line per distinct failure: `POST /tech response 200: [rule] message`.
 * @param {string} output @returns {string[]}
 */
export function parseOpticFailures(output) {
  const failures = new Set();
  let operation = '';
  let place = '';
  for (const line of output.split('\n')) {
    const operationLine = /^[x✔] ([A-Z]+ \S+):/.exec(line);
    if (operationLine) {
      operation = operationLine[1] ?? '';
      place = '';
      continue;
    }
    const placeLine = /^ {2}- (.+?):/.exec(line);
    if (placeLine) place = placeLine[1] ?? '';
    const failure = /^\s*x \[(.+?)\] (.+?)(?: This is a breaking change\.)?$/.exec(line);
    if (failure) failures.add(`${[operation, place].filter(Boolean).join(' ')}: [${failure[1]}] ${failure[2]}`);
  }
  return [...failures];
}

/**
 * @typedef {object} SpecDiffResult
 * @property {'unreleased' | 'compatible' | 'breaking-major' | 'breaking'} verdict
 * @property {string[]} breaking
 * @property {string} message
 */

/**
 * @param {{ packageName: string, releasedFile: string, currentFile: string,
 *           planned?: import('./changesets.mjs').PlannedRelease }} input  `planned`: the package's release plan, if any
 * @returns {Promise<SpecDiffResult>}
 */
export async function checkSpecAgainstRelease({ packageName, releasedFile, currentFile, planned }) {
  if (!existsSync(releasedFile)) {
    return { verdict: 'unreleased', breaking: [], message: `${packageName}: never released (no ${relative(repoRoot, releasedFile)}): nothing to compare` };
  }
  const breaking = await findBreakingChanges(releasedFile, currentFile);
  const releasedVersion = JSON.parse(readFileSync(releasedFile, 'utf8')).info.version;
  const currentVersion = JSON.parse(readFileSync(currentFile, 'utf8')).info.version;
  if (breaking.length === 0) {
    return { verdict: 'compatible', breaking, message: `${packageName}: no breaking change since ${releasedVersion}` };
  }
  const majorSpec = parseVersion(currentVersion).major > parseVersion(releasedVersion).major;
  const majorChangeset = planned?.type === 'major';
  const list = breaking.map((line) => `  - ${line}`).join('\n');
  if (majorSpec || majorChangeset) {
    const marker = majorSpec ? `info.version ${releasedVersion} → ${currentVersion}` : 'a pending major changeset';
    return { verdict: 'breaking-major', breaking, message: `${packageName}: breaking changes since ${releasedVersion}, released as major (${marker}):\n${list}` };
  }
  return {
    verdict: 'breaking',
    breaking,
    message:
      `${packageName}: BREAKING changes since the released spec ${releasedVersion}:\n${list}\n` +
      `Undo them, or release them as a major version: a major changeset (npx changeset) and info.version ` +
      `${parseVersion(releasedVersion).major + 1}.0.0.`,
  };
}

/** @param {string} file @param {string[]} args @param {string} cwd @returns {Promise<{ code: number, output: string }>} */
async function run(file, args, cwd) {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, {
      cwd,
      // Optic phones home twice: telemetry, and an update-notifier child that asks the registry once a day.
      env: { ...process.env, OPTIC_TELEMETRY_LEVEL: 'off', NO_UPDATE_NOTIFIER: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = /** @type {{ code?: number, stdout?: string, stderr?: string }} */ (error);
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

async function main() {
  const { releases } = await releasePlan();
  let failed = false;
  for (const api of listApis()) {
    if (!existsSync(api.bundledJson)) throw new Error(`${api.bundledJson} is missing: run npm run build first`);
    const packageName = JSON.parse(readFileSync(join(api.packageDir, 'package.json'), 'utf8')).name;
    const result = await checkSpecAgainstRelease({
      packageName,
      releasedFile: releasedSpecFile(api),
      currentFile: api.bundledJson,
      planned: releases.get(packageName),
    });
    (result.verdict === 'breaking' ? console.error : console.log)(result.message);
    failed ||= result.verdict === 'breaking';
  }
  if (failed) process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
