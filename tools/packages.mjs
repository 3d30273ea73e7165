// @ts-check
// The published packages: every workspace under packages/ that is neither `private` nor ignored by
// changesets (.changeset/config.json). The version and release tools walk this list, never a fixed set of
// names, so a new package (a sandbox, a CLI) is checked and released like the others.
//
// A package's link to the specs:
//   - its own spec: packages/<api> implements specs/<api> (the redocly.yaml registry, tools/apis.mjs); it
//     must record that spec's info.version (package.json, README, SPEC_VERSION);
//   - recorded spec versions: `"techapi": { "specVersions": { "<api>": "x.y.z" } }` in package.json. Required
//     for a package with its own spec; optional for any other (e.g. a package carrying bundled specs).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { listApis, repoRoot } from './apis.mjs';

/**
 * @typedef {object} PublishedPackage
 * @property {string} name          npm name
 * @property {string} version       the package's own semver
 * @property {string} dir           absolute folder
 * @property {string} folder        its folder name under packages/
 * @property {import('./apis.mjs').Api | undefined} api  the API whose spec it implements, if it has one
 * @property {Record<string, string> | undefined} specVersions  `techapi.specVersions` as written, if any
 * @property {any} manifest         the whole package.json
 */

/** @param {string} [root] the repo, or a copy of it @returns {PublishedPackage[]} */
export function listPublishedPackages(root = repoRoot) {
  const ignored = new Set(JSON.parse(readFileSync(join(root, '.changeset/config.json'), 'utf8')).ignore ?? []);
  const apis = new Map(listApis().map((api) => [api.name, api]));
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, 'package.json')))
    .map((entry) => {
      const dir = join(packagesDir, entry.name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return {
        name: manifest.name,
        version: manifest.version,
        dir,
        folder: entry.name,
        api: apis.get(entry.name),
        specVersions: manifest.techapi?.specVersions,
        manifest,
      };
    })
    .filter((pkg) => pkg.manifest.private !== true && !ignored.has(pkg.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The APIs whose spec version a package records or must record. @param {PublishedPackage} pkg @returns {string[]} */
export function specsOf(pkg) {
  return [...new Set([...(pkg.api ? [pkg.api.name] : []), ...Object.keys(pkg.specVersions ?? {})])];
}
