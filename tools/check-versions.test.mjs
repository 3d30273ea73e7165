// @ts-check
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { changesetDir, releasePlan } from './changesets.mjs';
import { versionProblems } from './check-versions.mjs';

const packageName = '@techapi/take-control';
const readme = '**Spec version: 1.0.0** (the spec\'s `info.version`).';
/** A package's release plan, as changesets computes it. @param {'major' | 'minor' | 'patch'} type @param {string} newVersion */
const planned = (type, newVersion) => ({ name: packageName, type, oldVersion: '', newVersion, changesets: [] });

describe('package version vs spec info.version', () => {
  test('released state: equal versions, no changeset', () => {
    expect(versionProblems({ packageName, packageVersion: '1.0.0', specVersion: '1.0.0', readme })).toEqual([]);
  });

  test('first release: 0.0.0 with a major changeset reaches spec 1.0.0', () => {
    expect(versionProblems({ packageName, packageVersion: '0.0.0', specVersion: '1.0.0', readme, planned: planned('major', '1.0.0') })).toEqual([]);
  });

  test('a spec bumped without a changeset fails and says what to do', () => {
    const [problem] = versionProblems({ packageName, packageVersion: '1.0.0', specVersion: '1.1.0', readme: readme.replace('1.0.0', '1.1.0') });
    expect(problem).toContain('would be released as 1.0.0');
    expect(problem).toContain('info.version is 1.1.0');
  });

  test('a changeset whose bump does not reach the spec version fails', () => {
    const problems = versionProblems({
      packageName,
      packageVersion: '1.0.0',
      specVersion: '2.0.0',
      readme: readme.replace('1.0.0', '2.0.0'),
      planned: planned('minor', '1.1.0'),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('would be released as 1.1.0');
  });

  test('the README must state the spec version', () => {
    const problems = versionProblems({ packageName, packageVersion: '1.0.0', specVersion: '1.0.0', readme: 'no version here' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('README');
  });
});

describe('the release plan (changesets own planner, on a scratch workspace with the repo config)', () => {
  /** @type {string[]} */
  const scratch = [];
  afterEach(() => scratch.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** @param {Record<string, string>} changesets file name → front matter lines */
  function workspace(changesets) {
    const root = mkdtempSync(join(tmpdir(), 'techapi-changesets-'));
    scratch.push(root);
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'scratch', private: true, workspaces: ['packages/*'] }));
    /** @type {[string, string, string][]} folder, name, version */
    const packages = [['take-control', packageName, '1.2.3'], ['technicien', '@techapi/technicien', '1.0.0'], ['client-core', '@techapi/client-core', '0.0.0']];
    for (const [dir, name, version] of packages) {
      mkdirSync(join(root, 'packages', dir), { recursive: true });
      writeFileSync(join(root, 'packages', dir, 'package.json'), JSON.stringify({ name, version }));
    }
    mkdirSync(join(root, '.changeset'));
    cpSync(join(changesetDir, 'config.json'), join(root, '.changeset', 'config.json'));
    for (const [file, releases] of Object.entries(changesets)) writeFileSync(join(root, '.changeset', file), `---\n${releases}\n---\n\nA change.\n`);
    return root;
  }

  test('the largest pending bump of a package wins; other packages do not count', async () => {
    const { releases } = await releasePlan(
      workspace({ 'a.md': `"${packageName}": patch`, 'b.md': `"${packageName}": minor`, 'c.md': '"@techapi/technicien": major' }),
    );
    expect(releases.get(packageName)).toMatchObject({ type: 'minor', newVersion: '1.3.0' });
    expect(releases.get('@techapi/technicien')).toMatchObject({ type: 'major', newVersion: '2.0.0' });
  });

  test('a changeset naming an unknown package is reported', async () => {
    await expect(releasePlan(workspace({ 'typo.md': '"@techapi/tak-control": patch' }))).rejects.toThrow(/tak-control/);
  });
});
