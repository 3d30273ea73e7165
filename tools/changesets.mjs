// @ts-check
// Reads the pending changesets (.changeset/*.md) the way `changeset version` will apply them, so that the
// checks can compare the version a package WILL be released at with its spec's info.version before the
// release happens. Only plain x.y.z versions are handled: the packages use no prereleases.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './apis.mjs';

export const changesetDir = join(repoRoot, '.changeset');

/** @typedef {'major' | 'minor' | 'patch' | 'none'} Bump */
const BUMP_ORDER = /** @type {const} */ (['none', 'patch', 'minor', 'major']);

/**
 * @typedef {object} Changeset
 * @property {string} file
 * @property {Record<string, Bump>} releases  package name → bump
 * @property {string} summary
 */

/** @param {string} [dir] @returns {Changeset[]} */
export function readChangesets(dir = changesetDir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
      if (!match) throw new Error(`${join(dir, file)}: no "---" front matter naming the packages and their bumps`);
      const releases = parse(match[1] ?? '') ?? {};
      for (const [name, bump] of Object.entries(releases)) {
        if (!BUMP_ORDER.includes(bump)) throw new Error(`${join(dir, file)}: "${name}: ${bump}" is not major, minor, patch or none`);
      }
      return { file, releases, summary: (match[2] ?? '').trim() };
    });
}

/** The largest bump the pending changesets ask for `packageName`. @param {string} packageName @param {Changeset[]} changesets @returns {Bump} */
export function pendingBump(packageName, changesets) {
  let largest = 0;
  for (const changeset of changesets) {
    const bump = changeset.releases[packageName];
    if (bump) largest = Math.max(largest, BUMP_ORDER.indexOf(bump));
  }
  return BUMP_ORDER[largest] ?? 'none';
}

/** @param {string} version @param {Bump} bump @returns {string} */
export function bumpVersion(version, bump) {
  const parts = parseVersion(version);
  if (bump === 'major') return `${parts.major + 1}.0.0`;
  if (bump === 'minor') return `${parts.major}.${parts.minor + 1}.0`;
  if (bump === 'patch') return `${parts.major}.${parts.minor}.${parts.patch + 1}`;
  return version;
}

/** @param {string} version @returns {{ major: number, minor: number, patch: number }} */
export function parseVersion(version) {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(String(version));
  if (!match) throw new Error(`"${version}" is not a plain major.minor.patch version`);
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}
