// @ts-check
// The versioning scheme: a package's version IS the version of the spec it implements (info.version).
// Between releases the spec may already carry the next version; then the pending changesets must take the
// package there when `changeset version` applies them. So, for every API:
//   package.json version + pending changesets' bump  ==  specs/<api>/openapi.yaml info.version
//   and the package README states that same spec version.
// Run by `npm test` (turbo task //#check:versions); fails with what to change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { listApis } from './apis.mjs';
import { bumpVersion, pendingBump, readChangesets } from './changesets.mjs';

/**
 * @param {{ packageName: string, packageVersion: string, specVersion: string, readme: string,
 *           changesets: import('./changesets.mjs').Changeset[] }} input
 * @returns {string[]} what is wrong, empty when consistent
 */
export function versionProblems({ packageName, packageVersion, specVersion, readme, changesets }) {
  const problems = [];
  const bump = pendingBump(packageName, changesets);
  const planned = bumpVersion(packageVersion, bump);
  if (planned !== specVersion) {
    const how = bump === 'none' ? 'with no pending changeset' : `with the pending ${bump} changeset(s)`;
    problems.push(
      `${packageName} would be released as ${planned} (${packageVersion} ${how}) but its spec's info.version is ` +
        `${specVersion}. They must agree: set info.version (and the README's "Spec version") to ${planned}, or ` +
        `add or change the pending changesets (npx changeset) so that they lead to ${specVersion}.`,
    );
  }
  const stated = /Spec version\W*(\d+\.\d+\.\d+)/.exec(readme)?.[1];
  if (stated !== specVersion) {
    problems.push(
      `${packageName}'s README states spec version ${stated ?? '(none: add a "Spec version: x.y.z" line)'} ` +
        `but the spec's info.version is ${specVersion}.`,
    );
  }
  return problems;
}

/** @param {string[]} knownPackages @param {import('./changesets.mjs').Changeset[]} changesets */
export function unknownPackageProblems(knownPackages, changesets) {
  return changesets.flatMap((changeset) =>
    Object.keys(changeset.releases)
      .filter((name) => !knownPackages.includes(name))
      .map((name) => `.changeset/${changeset.file} names ${name}, which is not one of ${knownPackages.join(', ')}.`),
  );
}

function main() {
  const changesets = readChangesets();
  const packageNames = [];
  const problems = [];
  for (const api of listApis()) {
    const pkg = JSON.parse(readFileSync(join(api.packageDir, 'package.json'), 'utf8'));
    const spec = parse(readFileSync(api.specRoot, 'utf8'));
    packageNames.push(pkg.name);
    problems.push(
      ...versionProblems({
        packageName: pkg.name,
        packageVersion: pkg.version,
        specVersion: String(spec.info.version),
        readme: readFileSync(join(api.packageDir, 'README.md'), 'utf8'),
        changesets,
      }),
    );
  }
  problems.push(...unknownPackageProblems(packageNames, changesets));
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(`versions agree with the specs: ${packageNames.join(', ')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
