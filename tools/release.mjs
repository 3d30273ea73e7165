// @ts-check
// Versioning a release, with changesets:
//   node tools/release.mjs           DRY RUN (`npm run release`): applies `changeset version` to a temporary
//                                    copy of the repo, then shows each package's new version, its new
//                                    CHANGELOG entry and `npm publish --dry-run`. Nothing in the repo changes.
//   node tools/release.mjs --apply   (`npm run release:version`) the same, in the repo: bumps the versions,
//                                    writes the CHANGELOGs, consumes the changesets and records each released
//                                    spec as specs/<api>/released/openapi.json, the baseline of `npm run spec:diff`.
// Publishing itself (`npx changeset publish`) is left to a maintainer with npm credentials; see README.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getApi, listApis, repoRoot } from './apis.mjs';
import { releasedSpecFile } from './spec-diff.mjs';

const changesetBin = join(repoRoot, 'node_modules/.bin/changeset');

/**
 * @typedef {object} PlannedRelease
 * @property {string} api
 * @property {string} name      npm package name
 * @property {string} from      version before
 * @property {string} to        version after `changeset version`
 * @property {string} changelog the CHANGELOG entry written for `to`
 * @property {string} releasedSpec  where the released spec was recorded
 */

/**
 * Runs `changeset version` in `root` (the repo or a copy of it) and records the bundled spec of every API
 * whose package version changed as its released spec.
 * @param {string} root
 * @returns {PlannedRelease[]}
 */
export function versionPackages(root) {
  const apis = listApis().map((api) => ({ api, at: (/** @type {string} */ path) => join(root, relative(repoRoot, path)) }));
  const before = new Map(apis.map(({ api, at }) => [api.name, readPackage(at(api.packageDir)).version]));
  execFileSync(changesetBin, ['version'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  /** @type {PlannedRelease[]} */
  const releases = [];
  for (const { api, at } of apis) {
    const pkg = readPackage(at(api.packageDir));
    const from = before.get(api.name) ?? '';
    if (pkg.version === from) continue;
    const releasedSpec = at(releasedSpecFile(api));
    mkdirSync(dirname(releasedSpec), { recursive: true });
    cpSync(at(api.bundledJson), releasedSpec);
    releases.push({ api: api.name, name: pkg.name, from, to: pkg.version, changelog: changelogEntry(at(api.packageDir), pkg.version), releasedSpec });
  }
  return releases;
}

/**
 * The dry run: `versionPackages` on a temporary copy holding what changesets and npm read.
 * @returns {{ releases: PlannedRelease[], publish: Map<string, string> }} publish: api → `npm publish --dry-run` output
 */
export function dryRun() {
  const copy = mkdtempSync(join(tmpdir(), 'release-dry-run-'));
  try {
    for (const path of ['package.json', '.changeset']) cpSync(join(repoRoot, path), join(copy, path), { recursive: true });
    for (const name of readdirSync(join(repoRoot, 'packages'))) {
      const packageJson = join(repoRoot, 'packages', name, 'package.json');
      if (existsSync(packageJson)) cpSync(packageJson, join(copy, 'packages', name, 'package.json'));
    }
    for (const api of listApis()) {
      for (const file of ['dist', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
        const from = join(api.packageDir, file);
        if (!existsSync(from)) throw new Error(`${relative(repoRoot, from)} is missing: run npm run build first`);
        cpSync(from, join(copy, 'packages', api.name, file), { recursive: true });
      }
      cpSync(api.bundledJson, join(copy, relative(repoRoot, api.bundledJson)));
    }
    const releases = versionPackages(copy);
    const publish = new Map();
    for (const release of releases) {
      // npm reports the tarball on stderr ("npm notice" lines). --offline: even a dry run asks the registry
      // for the package's versions otherwise, and retries for a minute when it cannot reach it.
      const npm = spawnSync('npm', ['publish', '--dry-run', '--offline', '--access', 'public', '--loglevel', 'notice'], {
        cwd: join(copy, 'packages', release.api),
        encoding: 'utf8',
      });
      if (npm.status !== 0) throw new Error(`npm publish --dry-run failed for ${release.name}:\n${npm.stderr}`);
      publish.set(release.api, npm.stderr.split('\n').filter((line) => line.startsWith('npm notice')).join('\n'));
    }
    return { releases, publish };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
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
      console.log(`${release.name}: ${release.from} → ${release.to}; released spec recorded in ${relative(repoRoot, release.releasedSpec)}`);
    }
    if (releases.length === 0) console.log('No pending changeset: nothing to version.');
    else console.log('Review and commit, then publish with `npx changeset publish` and push the tags.');
    return;
  }
  const { releases, publish } = dryRun();
  if (releases.length === 0) console.log('No pending changeset: a release now would publish nothing.');
  for (const release of releases) {
    const recorded = relative(repoRoot, releasedSpecFile(getApi(release.api)));
    console.log(`\n${release.name}: ${release.from} → ${release.to} (its spec would be recorded as ${recorded})\n\n${release.changelog}\n`);
    console.log(publish.get(release.api));
  }
  console.log('Dry run: nothing was versioned or published. `npm run release:version` applies the versions.');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
