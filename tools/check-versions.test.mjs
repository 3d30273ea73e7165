// @ts-check
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { changesetDir, releasePlan } from './changesets.mjs';
import { parse } from 'yaml';
import { versionProblems } from './check-versions.mjs';
import { listPublishedPackages } from './packages.mjs';

const packageName = '@techapi/take-control';
const current = {
  packageName,
  api: 'take-control',
  specVersion: '1.1.0',
  recorded: { 'take-control': '1.1.0' },
  readme: "**Spec version: 1.1.0** (the spec's `info.version`).",
  generated: 'export const SPEC_VERSION = "1.1.0";\n',
  index: "export { SPEC_VERSION } from './generated/spec-version.js';\n",
};

describe('the spec version a package records, in package.json, README and SPEC_VERSION', () => {
  test('all three at info.version: consistent, whatever the package version', () => {
    expect(versionProblems(current)).toEqual([]);
  });

  test('each place left behind is named with what to change', () => {
    const stale = versionProblems({
      ...current,
      recorded: { 'take-control': '1.0.0' },
      readme: current.readme.replace('1.1.0', '1.0.0'),
      generated: current.generated.replace('1.1.0', '1.0.0'),
    });
    expect(stale).toEqual([
      `${packageName}'s package.json records take-control spec 1.0.0 but specs/take-control is at 1.1.0: set "techapi": { "specVersions": { "take-control": "1.1.0" } }.`,
      `${packageName}'s README states spec version 1.0.0 but specs/take-control is at 1.1.0.`,
      `${packageName}'s SPEC_VERSION is 1.0.0 but specs/take-control is at 1.1.0: run npm run build.`,
    ]);
  });

  test('missing field, README line, constant or export', () => {
    const problems = versionProblems({ ...current, recorded: undefined, readme: 'no version here', generated: '', index: 'export {};' });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/records take-control spec \(nothing\)[\s\S]*\(none: add a "Spec version[\s\S]*SPEC_VERSION is \(missing\)[\s\S]*does not export SPEC_VERSION/);
  });

  test('a package without a spec of its own is checked on the versions it records only', () => {
    const sandbox = { packageName: '@techapi/sandbox', api: 'technicien', specVersion: '1.1.0' };
    expect(versionProblems({ ...sandbox, recorded: { technicien: '1.1.0', 'take-control': '2.0.0' } })).toEqual([]);
    expect(versionProblems({ ...sandbox, recorded: { technicien: '1.0.0' } })).toHaveLength(1);
  });
});

describe('the published packages carry their SPEC_VERSION (built packages, as a user imports them)', () => {
  for (const pkg of listPublishedPackages().filter((candidate) => candidate.api)) {
    test(`${pkg.name}: SPEC_VERSION equals its spec's info.version, with import and require`, async () => {
      const { info } = parse(readFileSync(pkg.api?.specRoot ?? '', 'utf8'));
      const esm = await import(pathToFileURL(join(pkg.dir, 'dist/index.js')).href);
      const cjs = createRequire(import.meta.url)(join(pkg.dir, 'dist/index.cjs'));
      expect(esm.SPEC_VERSION).toBe(String(info.version));
      expect(cjs.SPEC_VERSION).toBe(String(info.version));
      expect(pkg.manifest.techapi.specVersions[pkg.api?.name ?? '']).toBe(String(info.version));
    });
  }
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
