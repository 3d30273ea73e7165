// @ts-check
// The release dry run, as `npm run release` does it, and the versioning rules end to end on a copy of the
// repo (the real specs, packages and changesets are never touched). Needs the build (`npm test` builds first).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { listApis, repoRoot } from './apis.mjs';
import { releasePlan } from './changesets.mjs';
import { listPublishedPackages } from './packages.mjs';
import { dryRun } from './release.mjs';

/** The files a dry run must leave alone. */
const watched = listPublishedPackages().flatMap((pkg) => [join(pkg.dir, 'package.json'), join(pkg.dir, 'CHANGELOG.md')]);
const snapshot = async () => ({
  changesets: (await releasePlan()).changesets.map((changeset) => changeset.id),
  files: watched.map((file) => readFileSync(file, 'utf8')),
  released: listApis().map((api) => existsSync(join(api.specDir, 'released/openapi.json'))),
});

describe('npm run release (dry run)', () => {
  test('versions each package with a pending changeset, states its spec version, and changes nothing in the repo', async () => {
    const before = await snapshot();
    const plan = (await releasePlan()).releases;
    const { releases, publish } = dryRun();

    expect(await snapshot()).toEqual(before);
    expect(releases.map((release) => release.name).sort()).toEqual([...plan.keys()].sort());
    if (plan.size === 0) {
      // Right after a release nothing is pending: the dry run must then version and pack nothing, and the
      // checks below have nothing to check, which this says rather than passing them in silence.
      expect(publish.size).toBe(0);
      return;
    }
    for (const release of releases) {
      expect(release.to, release.name).toBe(plan.get(release.name)?.newVersion);
      const pkg = listPublishedPackages().find((candidate) => candidate.name === release.name);
      if (pkg?.api) {
        const specVersion = String(parse(readFileSync(pkg.api.specRoot, 'utf8')).info.version);
        expect(release.specVersions).toEqual({ [pkg.api.name]: specVersion });
        expect(release.releasedSpec).toBe(`specs/${pkg.api.name}/released/openapi.json`);
      }
      expect(release.changelog).toMatch(new RegExp(`^## ${release.to.replaceAll('.', '\\.')}\\n`));
      expect(publish.get(release.name)).toContain(`${release.name}@${release.to}`);
      expect(publish.get(release.name)).toContain('LICENSE');
    }
  }, 60_000);
});

describe('the versioning rules on a copy of the repo, after its first release', () => {
  const copy = mkdtempSync(join(tmpdir(), 'techapi-versions-'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  /** With VERSIONS_SHOW_CASES=1, prints what each case's checks said (the outputs quoted in the closing note). @param {string} text */
  const showCase = (text) => process.env.VERSIONS_SHOW_CASES && console.log(text);
  /** Runs one of the repo's tools in the copy. @param {string} script @param {string[]} [args] */
  function tool(script, args = []) {
    const result = spawnSync(process.execPath, [join(copy, 'tools', script), ...args], { cwd: copy, encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }
  /** @param {string} path @param {(text: string) => string} change */
  const edit = (path, change) => writeFileSync(join(copy, path), change(readFileSync(join(copy, path), 'utf8')));
  /** @param {string} name @param {'major' | 'minor' | 'patch'} bump */
  const changeset = (name, bump) => writeFileSync(join(copy, '.changeset', `${name}.md`), `---\n"@techapi/take-control": ${bump}\n---\n\nA change.\n`);
  const specVersion = () => String(parse(readFileSync(join(copy, 'specs/take-control/openapi.yaml'), 'utf8')).info.version);
  /** @param {string} version */
  const setSpecVersion = (version) => edit('specs/take-control/openapi.yaml', (text) => text.replace(/^( {2}version: ).*$/m, `$1${version}`));
  /** Re-bundles Take Control's spec as the build would (only the files the checks read). @param {string[]} formats */
  function bundle(formats = ['json']) {
    for (const format of formats) {
      const output = join(copy, `dist/specs/take-control.${format}`);
      execFileSync(join(repoRoot, 'node_modules/.bin/redocly'), ['bundle', 'take-control', '--output', output], { cwd: copy, stdio: 'pipe' });
    }
  }
  /** The checks `npm test` runs on versions, after the bundle. */
  function checks() {
    bundle();
    return { versions: tool('check-versions.mjs'), specDiff: tool('spec-diff.mjs') };
  }

  test('client-only change; spec change without a bump, with a wrong bump, without a changeset; then consistent', async () => {
    // The working tree as a fresh clone has it (tracked and new files), with the built bundles and the installed tools.
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' });
    for (const file of files.split('\0').filter((path) => path && existsSync(join(repoRoot, path)))) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      cpSync(join(repoRoot, file), join(copy, file));
    }
    cpSync(join(repoRoot, 'dist/specs'), join(copy, 'dist/specs'), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'));

    // The first release (`npm run release:version`): versions the packages, records the released specs.
    const release = tool('release.mjs', ['--apply']);
    expect(release.output).toContain('@techapi/take-control: 0.0.0 → 1.0.0, implements take-control spec 1.0.0 (first release of the spec)');
    expect(existsSync(join(copy, 'specs/take-control/released/openapi.json'))).toBe(true);

    // 1. A client-only change with a patch changeset: passes, info.version untouched.
    edit('packages/take-control/src/client.ts', (text) => `${text}\n// A client-only fix.\n`);
    changeset('client-fix', 'patch');
    const clientOnly = checks();
    expect(clientOnly.versions, clientOnly.versions.output).toMatchObject({ status: 0 });
    expect(clientOnly.specDiff, clientOnly.specDiff.output).toMatchObject({ status: 0 });
    expect(clientOnly.specDiff.output).toContain('take-control: released 1.0.0, now 1.0.0; since the release: no change');
    expect(specVersion()).toBe('1.0.0');
    expect((await releasePlan(copy)).releases.get('@techapi/take-control')).toMatchObject({ type: 'patch', newVersion: '1.0.1' });
    showCase(`[case 1: client-only change, patch changeset]\n${clientOnly.versions.output}${clientOnly.specDiff.output}`);

    // 2. An additive spec change (an optional property) with no version bump: fails, naming the bump.
    edit('specs/take-control/components/schemas/TechnicianCreate.yaml', (text) =>
      text.replace('properties:\n', 'properties:\n  phone:\n    type: string\n    description: A phone number.\n'),
    );
    const unbumped = checks();
    expect(unbumped.specDiff.status).toBe(1);
    expect(unbumped.specDiff.output).toContain('added /components/schemas/TechnicianCreate/properties/phone');
    expect(unbumped.specDiff.output).toContain('info.version is 1.0.0 but the change justifies a minor bump: set it to 1.1.0.');
    expect(unbumped.specDiff.output).toContain('@techapi/take-control needs a pending minor or major changeset for this spec change (npx changeset); it has a patch one.');
    showCase(`[case 2: additive spec change, no bump]\n${unbumped.specDiff.output}`);

    // 3. The same change with bumps it does not justify: a patch, then a major.
    setSpecVersion('1.0.1');
    const asPatch = checks();
    expect(asPatch.specDiff.status).toBe(1);
    expect(asPatch.specDiff.output).toContain('info.version is 1.0.1 but the change justifies a minor bump: set it to 1.1.0.');
    setSpecVersion('2.0.0');
    changeset('spec-phone', 'major');
    const asMajor = checks();
    expect(asMajor.specDiff.status).toBe(1);
    expect(asMajor.specDiff.output).toContain('info.version is 2.0.0 but the change justifies a minor bump: set it to 1.1.0.');
    showCase(`[case 3: additive spec change, bumped as a patch, then as a major]\n${asPatch.specDiff.output}${asMajor.specDiff.output}`);

    // 4. The justified bump: spec:diff passes; check:versions names each place still at 1.0.0 until updated.
    setSpecVersion('1.1.0');
    changeset('spec-phone', 'minor');
    const bumped = checks();
    expect(bumped.specDiff, bumped.specDiff.output).toMatchObject({ status: 0 });
    expect(bumped.specDiff.output).toContain('take-control: released 1.0.0, now 1.1.0; since the release: an additive contract change: minor');
    expect(bumped.versions.status).toBe(1);
    expect(bumped.versions.output).toContain("@techapi/take-control's package.json records take-control spec 1.0.0 but specs/take-control is at 1.1.0");
    expect(bumped.versions.output).toContain("@techapi/take-control's README states spec version 1.0.0");
    expect(bumped.versions.output).toContain("@techapi/take-control's SPEC_VERSION is 1.0.0");

    edit('packages/take-control/package.json', (text) => text.replace('"take-control": "1.0.0"', '"take-control": "1.1.0"'));
    edit('packages/take-control/README.md', (text) => text.replace('**Spec version: 1.0.0**', '**Spec version: 1.1.0**'));
    bundle(['yaml']);
    expect(tool('generate-types.mjs').status).toBe(0);
    const consistent = checks();
    expect(consistent.versions, consistent.versions.output).toMatchObject({ status: 0 });
    expect(consistent.versions.output).toContain('@techapi/take-control@1.0.0: take-control spec 1.1.0');
    expect(consistent.specDiff.status).toBe(0);

    // The next release states both versions: the package's 1.1.0 implements spec 1.1.0, moved from 1.0.0.
    const next = tool('release.mjs', ['--apply']);
    expect(next.output).toContain('@techapi/take-control: 1.0.0 → 1.1.0, implements take-control spec 1.1.0 (spec 1.0.0 → 1.1.0)');
    showCase(`[case 4: minor bump, minor changeset, versions recorded; then released]\n${consistent.versions.output}${consistent.specDiff.output}${next.output}`);
  }, 240_000);
});
