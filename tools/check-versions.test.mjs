// @ts-check
import { describe, expect, test } from 'vitest';
import { bumpVersion, pendingBump } from './changesets.mjs';
import { unknownPackageProblems, versionProblems } from './check-versions.mjs';

const packageName = '@techapi/take-control';
const readme = '**Spec version: 1.0.0** (the spec\'s `info.version`).';
/** @param {import('./changesets.mjs').Bump} bump @param {string} [name] */
const changeset = (bump, name = packageName) => ({ file: `${bump}.md`, releases: { [name]: bump }, summary: '' });

describe('package version vs spec info.version', () => {
  test('released state: equal versions, no changeset', () => {
    expect(versionProblems({ packageName, packageVersion: '1.0.0', specVersion: '1.0.0', readme, changesets: [] })).toEqual([]);
  });

  test('first release: 0.0.0 with a major changeset reaches spec 1.0.0', () => {
    expect(versionProblems({ packageName, packageVersion: '0.0.0', specVersion: '1.0.0', readme, changesets: [changeset('major')] })).toEqual([]);
  });

  test('a spec bumped without a changeset fails and says what to do', () => {
    const [problem] = versionProblems({ packageName, packageVersion: '1.0.0', specVersion: '1.1.0', readme: readme.replace('1.0.0', '1.1.0'), changesets: [] });
    expect(problem).toContain('would be released as 1.0.0');
    expect(problem).toContain('info.version is 1.1.0');
  });

  test('a changeset whose bump does not reach the spec version fails', () => {
    const problems = versionProblems({ packageName, packageVersion: '1.0.0', specVersion: '2.0.0', readme: readme.replace('1.0.0', '2.0.0'), changesets: [changeset('minor')] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('would be released as 1.1.0');
  });

  test('the README must state the spec version', () => {
    const problems = versionProblems({ packageName, packageVersion: '1.0.0', specVersion: '1.0.0', readme: 'no version here', changesets: [] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('README');
  });

  test('the largest pending bump of a package wins; other packages do not count', () => {
    const changesets = [changeset('patch'), changeset('minor'), changeset('major', '@techapi/technicien')];
    expect(pendingBump(packageName, changesets)).toBe('minor');
    expect(bumpVersion('1.2.3', 'minor')).toBe('1.3.0');
    expect(bumpVersion('1.2.3', 'major')).toBe('2.0.0');
    expect(bumpVersion('1.2.3', 'patch')).toBe('1.2.4');
    expect(bumpVersion('1.2.3', 'none')).toBe('1.2.3');
  });

  test('a changeset naming an unknown package is reported', () => {
    expect(unknownPackageProblems([packageName], [changeset('patch', '@techapi/tak-control')])).toHaveLength(1);
  });
});
