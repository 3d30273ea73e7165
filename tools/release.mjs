// @ts-check
// Versioning a release, with changesets:
//   node tools/release.mjs           DRY RUN (`npm run release`): applies `changeset version` to a temporary
//                                    copy of the repo, then shows each package's new version, the spec
//                                    version it implements (and whether that moved since its last release),
//                                    its new CHANGELOG entry and `npm publish --dry-run`. Nothing in the repo changes.
//   node tools/release.mjs --apply   (`npm run release:version`) the same, in the repo: bumps the versions,
//                                    writes the CHANGELOGs, consumes the changesets and records each released
//                                    spec as specs/<api>/released/openapi.json, the baseline of `npm run spec:diff`.
// Publishing itself (`npx changeset publish`) is left to a maintainer with npm credentials; see README.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './apis.mjs';
import { listPublishedPackages } from './packages.mjs';
import { releasedSpecFile } from './spec-diff.mjs';

const changesetBin = join(repoRoot, 'node_modules/.bin/changeset');

/**
 * @typedef {object} PlannedRelease
 * @property {string} folder    its folder under packages/
 * @property {string} name      npm package name
 * @property {string} from      version before
 * @property {string} to        version after `changeset version`
 * @property {string} changelog the CHANGELOG entry written for `to`
 * @property {Record<string, string>} specVersions  the spec versions it implements or records (api → info.version)
 * @property {string} [releasedSpec]  where its own spec was recorded as released (relative to the root), if it has one
 * @property {string} [previousSpecVersion]  its own spec's version at the previous release (none: first release)
 */

/**
 * Runs `changeset version` in `root` (the repo or a copy of it) and records the bundled spec of every package
 * with a spec of its own whose version changed as its released spec: the baseline of `npm run spec:diff`.
 * @param {string} root
 * @returns {PlannedRelease[]}
 */
export function versionPackages(root) {
  const at = (/** @type {string} */ path) => join(root, relative(repoRoot, path));
  const before = new Map(listPublishedPackages(root).map((pkg) => [pkg.name, pkg.version]));
  execFileSync(changesetBin, ['version'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  /** @type {PlannedRelease[]} */
  const releases = [];
  for (const pkg of listPublishedPackages(root)) {
    const from = before.get(pkg.name) ?? '';
    if (pkg.version === from) continue;
    /** @type {PlannedRelease} */
    const release = {
      folder: pkg.folder,
      name: pkg.name,
      from,
      to: pkg.version,
      changelog: changelogEntry(pkg.dir, pkg.version),
      specVersions: { ...pkg.specVersions },
    };
    if (pkg.api) {
      const releasedSpec = at(releasedSpecFile(pkg.api));
      if (existsSync(releasedSpec)) release.previousSpecVersion = JSON.parse(readFileSync(releasedSpec, 'utf8')).info.version;
      mkdirSync(dirname(releasedSpec), { recursive: true });
      cpSync(at(pkg.api.bundledJson), releasedSpec);
      release.releasedSpec = relative(root, releasedSpec);
    }
    releases.push(release);
  }
  return releases;
}

/**
 * The dry run: `versionPackages` on a temporary copy holding what changesets and npm read: the root
 * package.json, .changeset, every workspace's package.json, each published package whole (without
 * node_modules, its `files` must be built), the bundled specs and the released ones.
 * @returns {{ releases: PlannedRelease[], publish: Map<string, string> }} publish: package name → `npm publish --dry-run` output
 */
export function dryRun() {
  const copy = mkdtempSync(join(tmpdir(), 'release-dry-run-'));
  try {
    for (const path of ['package.json', '.changeset', 'dist/specs']) cpSync(join(repoRoot, path), join(copy, path), { recursive: true });
    for (const name of readdirSync(join(repoRoot, 'packages'))) {
      const packageJson = join(repoRoot, 'packages', name, 'package.json');
      if (existsSync(packageJson)) cpSync(packageJson, join(copy, 'packages', name, 'package.json'));
    }
    for (const pkg of listPublishedPackages()) {
      for (const file of pkg.manifest.files ?? []) {
        if (!/[*?]/.test(file) && !existsSync(join(pkg.dir, file))) throw new Error(`${relative(repoRoot, join(pkg.dir, file))} is missing: run npm run build first`);
      }
      cpSync(pkg.dir, join(copy, 'packages', pkg.folder), { recursive: true, filter: (source) => basename(source) !== 'node_modules' });
      if (pkg.api && existsSync(releasedSpecFile(pkg.api))) cpSync(releasedSpecFile(pkg.api), join(copy, relative(repoRoot, releasedSpecFile(pkg.api))));
    }
    const releases = versionPackages(copy);
    const publish = new Map();
    for (const release of releases) {
      // npm reports the tarball on stderr ("npm notice" lines). --offline: even a dry run asks the registry
      // for the package's versions otherwise, and retries for a minute when it cannot reach it.
      // --ignore-scripts: the files are built already; a prepack script would rebuild them in the copy.
      const npm = spawnSync('npm', ['publish', '--dry-run', '--offline', '--ignore-scripts', '--access', 'public', '--loglevel', 'notice'], {
        cwd: join(copy, 'packages', release.folder),
        encoding: 'utf8',
      });
      if (npm.status !== 0) throw new Error(`npm publish --dry-run failed for ${release.name}:\n${npm.stderr}`);
      publish.set(release.name, npm.stderr.split('\n').filter((line) => line.startsWith('npm notice')).join('\n'));
    }
    return { releases, publish };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** What a release says about the specs its package implements. @param {PlannedRelease} release */
export function specLine(release) {
  const specs = Object.entries(release.specVersions);
  if (specs.length === 0) return 'records no spec version';
  return specs
    .map(([api, version]) => {
      if (!release.releasedSpec) return `serves ${api} spec ${version}`;
      const since = release.previousSpecVersion === undefined ? 'first release of the spec' : release.previousSpecVersion === version ? 'spec unchanged' : `spec ${release.previousSpecVersion} → ${version}`;
      return `implements ${api} spec ${version} (${since})`;
    })
    .join('; ');
}

/** @param {string} packageDir @returns {{ name: string, version: string }} */
function readPackage(packageDir) {
  return JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
}

/** The `## <version>` section of a package's CHANGELOG.md. @param {string} packageDir @param {string} version */
function changelogEntry(packageDir, version) {
  const changelog = readFileSync(join(packageDir, 'CHANGELOG.md'), 'utf8');
  const start = changelog.indexOf(`\n## ${version}\n`);
  if (start === -1) return '';
  const end = changelog.indexOf('\n## ', start + 1);
  return changelog.slice(start + 1, end === -1 ? undefined : end).trim();
}

function main() {
  if (process.argv.includes('--apply')) {
    const releases = versionPackages(repoRoot);
    for (const release of releases) {
      const recorded = release.releasedSpec ? `; released spec recorded in ${release.releasedSpec}` : '';
      console.log(`${release.name}: ${release.from} → ${release.to}, ${specLine(release)}${recorded}`);
    }
    if (releases.length === 0) console.log('No pending changeset: nothing to version.');
    else console.log('Review and commit, then publish with `npx changeset publish` and push the tags.');
    return;
  }
  const { releases, publish } = dryRun();
  if (releases.length === 0) console.log('No pending changeset: a release now would publish nothing.');
  for (const release of releases) {
    const recorded = release.releasedSpec ? `; its spec would be recorded as ${release.releasedSpec}` : '';
    console.log(`\n${release.name}: ${release.from} → ${release.to}, ${specLine(release)}${recorded}\n\n${release.changelog}\n`);
    console.log(publish.get(release.name));
  }
  console.log('Dry run: nothing was versioned or published. `npm run release:version` applies the versions.');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
