// @ts-check
// The spec-version gate. info.version is the contract's version: it moves only when the spec does, by the
// bump the change justifies. Each API's bundled spec (dist/specs/<api>.json, from `npm run build`) is
// compared with the spec of its last release (specs/<api>/released/openapi.json, written by
// `npm run release:version`):
//   - no difference                              info.version stays the released one
//   - documentation only (descriptions, summaries, examples, tags)       patch
//   - any other change that Optic's breaking-change rules accept         minor
//   - a breaking change (removed operation or response property, newly required request property,
//     narrowed enum, changed type, ...)                                  major
// info.version must be exactly the released version with that bump, and every published package that
// implements the spec (or records its version) needs a pending changeset at least that large.
// Before a spec's first release there is no baseline: it may change freely, at 1.0.0.
//   npm run spec:diff
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { listApis, repoRoot } from './apis.mjs';
import { parseVersion, releasePlan } from './changesets.mjs';
import { listPublishedPackages, specsOf } from './packages.mjs';

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
  const key = JSON.stringify([released, current]);
  const known = opticVerdicts.get(key);
  if (known) return known;
  const verdict = opticBreakingChanges(released, current);
  opticVerdicts.set(key, verdict);
  return verdict;
}

/** Optic's verdicts by pair of specs: the same pair under other version numbers needs no second run. */
const opticVerdicts = new Map();

/** @param {unknown} released @param {unknown} current @returns {Promise<string[]>} */
async function opticBreakingChanges(released, current) {
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

// What a change is worth, by the keywords it touches. Documentation: the words and examples a reader sees
// and the reference's grouping (tags); a change to them alone is a patch. Everything else is the contract:
// a change there is minor unless Optic finds it breaking (major).
const DOCUMENTATION_KEYWORDS = new Set(['description', 'summary', 'title', 'example', 'examples', 'externalDocs', '$comment', 'tags']);
// Maps whose keys are names (a property, a path, a status, a media type), never keywords: a property named
// `description` is part of the contract.
const NAME_MAPS = new Set([
  'properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'paths', 'webhooks', 'responses',
  'content', 'headers', 'encoding', 'callbacks', 'links', 'securitySchemes', 'variables', 'mapping', 'schemas',
  'parameters', 'requestBodies', 'pathItems', 'scopes',
]);
// Values that are data, compared whole: an enum value or a default is contract whatever its keys.
const DATA_KEYWORDS = new Set(['default', 'enum', 'const']);

/** The bumps, weakest first. */
export const BUMPS = /** @type {const} */ (['none', 'patch', 'minor', 'major']);
/** @typedef {typeof BUMPS[number]} Bump */

/** The baseline of a spec never released: its first release records it at this version. */
export const FIRST_SPEC_VERSION = '1.0.0';

/**
 * A spec without its documentation (and without `info`, whose version is the thing being decided).
 * @param {any} spec @returns {any}
 */
export function contractOf(spec) {
  const { info: _info, ...rest } = spec;
  return stripDocumentation(rest, false);
}

/** @param {any} value @param {boolean} keysAreNames @returns {any} */
function stripDocumentation(value, keysAreNames) {
  if (Array.isArray(value)) return value.map((item) => stripDocumentation(item, false));
  if (value === null || typeof value !== 'object') return value;
  /** @type {Record<string, unknown>} */
  const kept = {};
  for (const [key, child] of Object.entries(value)) {
    if (keysAreNames) kept[key] = stripDocumentation(child, false);
    else if (DOCUMENTATION_KEYWORDS.has(key)) continue;
    else if (DATA_KEYWORDS.has(key) || key.startsWith('x-')) kept[key] = child;
    else kept[key] = stripDocumentation(child, NAME_MAPS.has(key));
  }
  return kept;
}

/**
 * Where two JSON values differ, as JSON pointers: `added /paths/~1tech~1ping`.
 * @param {unknown} before @param {unknown} after @param {string} [at] @returns {string[]}
 */
export function differences(before, after, at = '') {
  const isObject = (/** @type {unknown} */ value) => value !== null && typeof value === 'object';
  if (!isObject(before) || !isObject(after) || Array.isArray(before) !== Array.isArray(after)) {
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [`changed ${at || '/'}`];
  }
  const a = /** @type {Record<string, unknown>} */ (before);
  const b = /** @type {Record<string, unknown>} */ (after);
  const found = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const path = `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (!(key in b)) found.push(`removed ${path}`);
    else if (!(key in a)) found.push(`added ${path}`);
    else found.push(...differences(a[key], b[key], path));
  }
  return found;
}

/**
 * The bump a change from the released spec to the current one justifies, and why.
 * @param {string} releasedFile @param {string} currentFile
 * @returns {Promise<{ bump: Bump, changes: string[], breaking: string[] }>}
 */
export async function justifiedBump(releasedFile, currentFile) {
  const released = JSON.parse(readFileSync(releasedFile, 'utf8'));
  const current = JSON.parse(readFileSync(currentFile, 'utf8'));
  const withoutVersion = (/** @type {any} */ spec) => ({ ...spec, info: { ...spec.info, version: undefined } });
  const allChanges = differences(withoutVersion(released), withoutVersion(current));
  if (allChanges.length === 0) return { bump: 'none', changes: [], breaking: [] };
  const contractChanges = differences(contractOf(released), contractOf(current));
  if (contractChanges.length === 0) return { bump: 'patch', changes: allChanges, breaking: [] };
  const breaking = await findBreakingChanges(releasedFile, currentFile);
  return { bump: breaking.length > 0 ? 'major' : 'minor', changes: contractChanges, breaking };
}

/** @param {string} version @param {Bump} bump @returns {string} */
export function bumpVersion(version, bump) {
  const { major, minor, patch } = parseVersion(version);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  if (bump === 'patch') return `${major}.${minor}.${patch + 1}`;
  return version;
}

/**
 * @typedef {object} PackageRelease
 * @property {string} name
 * @property {import('./changesets.mjs').PlannedRelease} [planned]  its pending release, if any
 */

/**
 * @typedef {object} SpecDiffResult
 * @property {boolean} ok
 * @property {Bump | 'unreleased'} bump   what the diff justifies ('unreleased': no baseline yet)
 * @property {string} [expectedVersion]   info.version that bump leads to
 * @property {string[]} breaking
 * @property {string} message
 */

/**
 * Checks a spec's info.version and its packages' pending changesets against its diff from the last release.
 * @param {{ api: string, releasedFile: string, currentFile: string, packages: PackageRelease[] }} input
 *   `packages`: every published package that implements the spec or records its version
 * @returns {Promise<SpecDiffResult>}
 */
export async function checkSpecAgainstRelease({ api, releasedFile, currentFile, packages }) {
  const currentVersion = String(JSON.parse(readFileSync(currentFile, 'utf8')).info.version);
  if (!existsSync(releasedFile)) {
    const where = relative(repoRoot, releasedFile);
    if (currentVersion === FIRST_SPEC_VERSION) {
      return { ok: true, bump: 'unreleased', breaking: [], message: `${api} ${currentVersion}: never released (no ${where}), the first release records it as the baseline` };
    }
    return {
      ok: false,
      bump: 'unreleased',
      breaking: [],
      message: `${api}: never released (no ${where}), so info.version must be ${FIRST_SPEC_VERSION}, the version its first release records; found ${currentVersion}.`,
    };
  }
  const releasedVersion = String(JSON.parse(readFileSync(releasedFile, 'utf8')).info.version);
  const { bump, changes, breaking } = await justifiedBump(releasedFile, currentFile);
  const expectedVersion = bumpVersion(releasedVersion, bump);
  const why = {
    none: 'no change',
    patch: 'wording and examples only (descriptions, summaries, examples, tags): patch',
    minor: 'an additive contract change: minor',
    major: 'a BREAKING change: major',
  }[bump];
  const shown = bump === 'major' ? breaking : changes;
  const list = shown.slice(0, 12).map((line) => `\n  - ${line}`).join('') + (shown.length > 12 ? `\n  - … ${shown.length - 12} more` : '');
  const problems = [];
  if (currentVersion !== expectedVersion) {
    problems.push(
      bump === 'none'
        ? `info.version is ${currentVersion} but the spec did not change since ${releasedVersion}: set it back to ${releasedVersion}.`
        : `info.version is ${currentVersion} but the change justifies ${bump === 'major' ? 'a major' : `a ${bump}`} bump: set it to ${expectedVersion}.`,
    );
  }
  if (bump !== 'none') {
    for (const pkg of packages) {
      const pending = pkg.planned?.type ?? 'none';
      if (BUMPS.indexOf(/** @type {Bump} */ (pending)) < BUMPS.indexOf(bump)) {
        problems.push(
          `${pkg.name} needs a pending ${bump === 'patch' ? 'patch, minor or major' : bump === 'minor' ? 'minor or major' : 'major'} changeset ` +
            `for this spec change (npx changeset); it has ${pending === 'none' ? 'none' : `a ${pending} one`}.`,
        );
      }
    }
  }
  const head = `${api}: released ${releasedVersion}, now ${currentVersion}; since the release: ${why}${list}`;
  if (problems.length === 0) return { ok: true, bump, expectedVersion, breaking, message: head };
  return { ok: false, bump, expectedVersion, breaking, message: `${head}\n${problems.map((problem) => `✗ ${problem}`).join('\n')}` };
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
  const packages = listPublishedPackages();
  let failed = false;
  for (const api of listApis()) {
    if (!existsSync(api.bundledJson)) throw new Error(`${api.bundledJson} is missing: run npm run build first`);
    const result = await checkSpecAgainstRelease({
      api: api.name,
      releasedFile: releasedSpecFile(api),
      currentFile: api.bundledJson,
      packages: packages.filter((pkg) => specsOf(pkg).includes(api.name)).map((pkg) => ({ name: pkg.name, planned: releases.get(pkg.name) })),
    });
    (result.ok ? console.log : console.error)(result.message);
    failed ||= !result.ok;
  }
  if (failed) process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
