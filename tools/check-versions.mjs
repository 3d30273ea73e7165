// @ts-check
// The versioning scheme: a package's version IS the version of the spec it implements (info.version).
// Between releases the spec may already carry the next version; then the pending changesets must take the
// package there when `changeset version` applies them (changesets' own release plan says where). So, for
// every API:
//   package.json version + pending changesets' bump  ==  specs/<api>/openapi.yaml info.version
//   and the package README states that same spec version.
// Run by `npm test` (turbo task //#check:versions); fails with what to change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { listApis } from './apis.mjs';
import { releasePlan } from './changesets.mjs';

/**
 * @param {{ packageName: string, packageVersion: string, specVersion: string, readme: string,
 *           planned?: import('./changesets.mjs').PlannedRelease }} input  `planned`: the package's release plan, if any
 * @returns {string[]} what is wrong, empty when consistent
 */
export function versionProblems({ packageName, packageVersion, specVersion, readme, planned }) {
  const problems = [];
  const next = planned?.newVersion ?? packageVersion;
  if (next !== specVersion) {
    const how = planned && planned.type !== 'none' ? `with the pending ${planned.type} changeset(s)` : 'with no pending changeset';
    problems.push(
      `${packageName} would be released as ${next} (${packageVersion} ${how}) but its spec's info.version is ` +
        `${specVersion}. They must agree: set info.version (and the README's "Spec version") to ${next}, or ` +
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

async function main() {
  // Throws, naming it, when a changeset names a package that does not exist.
  const { releases } = await releasePlan();
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
        planned: releases.get(pkg.name),
      }),
    );
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(`versions agree with the specs: ${packageNames.join(', ')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
