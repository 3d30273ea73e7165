// @ts-check
// The release dry run, as `npm run release` does it: versions a temporary copy of the repo with the pending
// changesets. Needs the packages built (`npm test` builds them first).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { listApis, repoRoot } from './apis.mjs';
import { releasePlan } from './changesets.mjs';
import { dryRun } from './release.mjs';

/** The files a dry run must leave alone. */
const watched = ['.changeset', ...listApis().flatMap((api) => [join(api.packageDir, 'package.json'), join(api.packageDir, 'CHANGELOG.md')])];
const snapshot = async () => ({
  changesets: (await releasePlan()).changesets.map((changeset) => changeset.id),
  files: watched.slice(1).map((file) => readFileSync(file, 'utf8')),
});

describe('npm run release (dry run)', () => {
  test('versions each package with a pending changeset to its spec version, and changes nothing in the repo', async () => {
    const before = await snapshot();
    const pending = new Set((await releasePlan()).releases.keys());
    const { releases, publish } = dryRun();

    expect(await snapshot()).toEqual(before);
    expect(releases.map((release) => release.name).sort()).toEqual([...pending].sort());
    if (pending.size === 0) {
      // Right after a release nothing is pending: the dry run must then version and pack nothing, and the
      // checks below have nothing to check, which this says rather than passing them in silence.
      expect(publish.size).toBe(0);
      return;
    }
    for (const release of releases) {
      const api = listApis().find((candidate) => candidate.name === release.api);
      const specVersion = parse(readFileSync(api?.specRoot ?? '', 'utf8')).info.version;
      expect(release.to, release.name).toBe(specVersion);
      expect(release.changelog).toMatch(new RegExp(`^## ${release.to.replaceAll('.', '\\.')}\\n`));
      expect(release.releasedSpec.startsWith(repoRoot)).toBe(false); // recorded in the copy only
      expect(publish.get(release.api)).toContain(`${release.name}@${release.to}`);
      expect(publish.get(release.api)).toContain('LICENSE');
    }
  }, 60_000);
});
