// @ts-check
// The release plan: what `changeset version` will do with the pending changesets (.changeset/*.md), from
// changesets' own planner, which reads .changeset/config.json (ignore, fixed, linked) and refuses a
// changeset naming an unknown package. The checks compare the version a package WILL be released at with
// its spec's info.version before the release happens.
import { join } from 'node:path';
import getReleasePlan from '@changesets/get-release-plan';
import { repoRoot } from './apis.mjs';

/** The folder of the pending changesets and of changesets' config. */
export const changesetDir = join(repoRoot, '.changeset');

/** @typedef {Awaited<ReturnType<typeof getReleasePlan>>} ReleasePlan */
/** @typedef {ReleasePlan['releases'][number]} PlannedRelease  a package's bump (`type`) and `newVersion` */

/**
 * @param {string} [root] the repo, or a copy of it
 * @returns {Promise<{ changesets: ReleasePlan['changesets'], releases: Map<string, PlannedRelease> }>}
 *   the pending changesets, and each package's planned release by name (absent: nothing pending)
 */
export async function releasePlan(root = repoRoot) {
  const plan = await getReleasePlan(root);
  return { changesets: plan.changesets, releases: new Map(plan.releases.map((release) => [release.name, release])) };
}

/** @param {string} version @returns {{ major: number, minor: number, patch: number }} */
export function parseVersion(version) {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(String(version));
  if (!match) throw new Error(`"${version}" is not a plain major.minor.patch version`);
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}
