// @ts-check
// `npm run bench` (after the build): every benchmark, one after the other, each in a process of its own, and
// each run even when an earlier one missed a target. Exit code: 0 when every target was met, 1 when one or
// more were missed (the benchmarks that missed are named last), 2 when one could not run.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './apis.mjs';

const BENCHES = ['bench.mjs', 'bench-sandbox.mjs', 'bench-msw.mjs', 'bench-cli.mjs', 'bench-read.mjs'];
/** @type {string[]} */
const missed = [];
/** @type {string[]} */
const broken = [];
for (const bench of BENCHES) {
  const { status, signal } = spawnSync(process.execPath, [join(repoRoot, 'tools', bench)], { stdio: 'inherit', cwd: repoRoot });
  if (status === 1) missed.push(bench);
  else if (status !== 0) broken.push(`${bench} (${signal ?? `exit ${status}`})`);
}
if (broken.length > 0) console.error(`\nbench: could not run ${broken.join(', ')}`);
if (missed.length > 0) console.log(`\nbench: targets missed in ${missed.join(', ')} (MISSED lines above)`);
else if (broken.length === 0) console.log('\nbench: every target met');
process.exit(broken.length > 0 ? 2 : missed.length > 0 ? 1 : 0);
