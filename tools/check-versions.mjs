// @ts-check
// A package's version is its own semver (changesets); the spec's info.version is the contract's version
// (tools/spec-diff.mjs decides when it moves). What ties them: each published package with a spec of its own
// records the version of that spec in three places, which must all equal its info.version:
//   - package.json   "techapi": { "specVersions": { "<api>": "x.y.z" } }
//   - README.md      the "Spec version: x.y.z" line
//   - SPEC_VERSION   src/generated/spec-version.ts (generated with the types), exported by src/index.ts
// A package without a spec of its own (e.g. one carrying bundled specs) may record the versions it serves
// in the same package.json field; when it does, they must be current too.
// Run by `npm test` (turbo task //#check:versions); fails with what to change.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { listApis, repoRoot } from './apis.mjs';
import { releasePlan } from './changesets.mjs';
import { listPublishedPackages } from './packages.mjs';

/**
 * @param {{ packageName: string, api: string, specVersion: string, recorded: Record<string, string> | undefined,
 *           readme?: string, generated?: string, index?: string }} input
 *   `readme`, `generated` (src/generated/spec-version.ts) and `index` (src/index.ts): given for a package
 *   with a spec of its own, which must state the version in each
 * @returns {string[]} what is wrong, empty when consistent
 */
export function versionProblems({ packageName, api, specVersion, recorded, readme, generated, index }) {
  const problems = [];
  const field = recorded?.[api];
  if (field !== specVersion) {
    problems.push(
      `${packageName}'s package.json records ${api} spec ${field ?? '(nothing)'} but specs/${api} is at ${specVersion}: ` +
        `set "techapi": { "specVersions": { "${api}": "${specVersion}" } }.`,
    );
  }
  if (readme !== undefined) {
    const stated = /Spec version\W*(\d+\.\d+\.\d+)/.exec(readme)?.[1];
    if (stated !== specVersion) {
      problems.push(
        `${packageName}'s README states spec version ${stated ?? '(none: add a "Spec version: x.y.z" line)'} ` +
          `but specs/${api} is at ${specVersion}.`,
      );
    }
  }
  if (generated !== undefined) {
    const exported = /export const SPEC_VERSION = "([^"]*)"/.exec(generated)?.[1];
    if (exported !== specVersion) {
      problems.push(`${packageName}'s SPEC_VERSION is ${exported ?? '(missing)'} but specs/${api} is at ${specVersion}: run npm run build.`);
    }
  }
  if (index !== undefined && !/export \{[^}]*\bSPEC_VERSION\b[^}]*\} from '\.\/generated\/spec-version\.js'/.test(index)) {
    problems.push(`${packageName}'s src/index.ts does not export SPEC_VERSION: add export { SPEC_VERSION } from './generated/spec-version.js'.`);
  }
  return problems;
}

/** @param {string} file */
const readIfThere = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

async function main() {
  // Throws, naming it, when a changeset names a package that does not exist.
  await releasePlan();
  const specVersions = new Map(listApis().map((api) => [api.name, String(parse(readFileSync(api.specRoot, 'utf8')).info.version)]));
  const lines = [];
  const problems = [];
  for (const pkg of listPublishedPackages()) {
    for (const api of Object.keys(pkg.specVersions ?? {})) {
      if (!specVersions.has(api)) problems.push(`${pkg.name} records a spec version for "${api}", which is not an API (${[...specVersions.keys()].join(', ')}).`);
    }
    const checks = pkg.api
      ? [{
          api: pkg.api.name,
          readme: readIfThere(join(pkg.dir, 'README.md')),
          generated: readIfThere(pkg.api.generatedSpecVersion),
          index: readIfThere(join(pkg.dir, 'src/index.ts')),
        }]
      : Object.keys(pkg.specVersions ?? {}).filter((api) => specVersions.has(api)).map((api) => ({ api }));
    for (const check of checks) {
      const specVersion = specVersions.get(check.api) ?? '';
      problems.push(...versionProblems({ packageName: pkg.name, specVersion, recorded: pkg.specVersions, ...check }));
    }
    const implemented = checks.map((check) => `${check.api} spec ${specVersions.get(check.api)}`).join(', ');
    lines.push(`${pkg.name}@${pkg.version}${implemented ? `: ${implemented}` : ': records no spec version'} (${relative(repoRoot, pkg.dir)})`);
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(`Spec versions agree:\n  ${lines.join('\n  ')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
