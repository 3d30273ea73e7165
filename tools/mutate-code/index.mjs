// @ts-check
// `npm run mutate:code [-- <package>... [--force] [--ignore-static] [--concurrency N]]`: source mutation testing with StrykerJS. Each
// package's source is changed one small way at a time (a condition flipped, a constant changed, a call
// removed), and its own tests run against each change: a change no test notices (a survivor) is a bug the
// suite would let through. Not part of `npm test`: a full run takes tens of minutes on 2 cores.
//
// Incremental: each package's results are kept in tools/mutate-code/incremental/<package>.json, which is
// committed, so that a rerun (on any clone, in CI) only tests the mutants of code or tests that changed since.
// Stryker sees changes to the mutated files and to the test files only: after a change to a test helper,
// a dependency or this config, pass `--force` for a full run.
//
// Exit codes: 0 every package named reached its target score; 1 one or more did not (named); 2 usage
// (an unknown package or option); 3 Stryker could not run (e.g. the initial test run failed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../apis.mjs';

/** The score each package must reach, in % of valid mutants killed (killed or timed out). */
const TARGET = 85;

/**
 * What each package mutates. The CLI's: the modules of the import (and their successors, once the rewrite
 * renames them); its commands and output are tested through the built bin in child processes, which
 * Stryker's mutants never reach, so only its in-process tests can kill them.
 * @type {Record<string, string[]>}
 */
export const TARGETS = {
  'client-core': ['packages/client-core/src/**/*.ts', '!packages/client-core/src/{index,node,types}.ts'],
  sandbox: ['packages/sandbox/src/**/*.ts', '!packages/sandbox/src/index.ts'],
  cli: ['packages/cli/src/{import,rows,report}.ts', 'packages/cli/src/read/**/*.ts', 'packages/cli/src/send/**/*.ts'],
};
const NOT_SOURCE = ['!**/*.test.ts', '!**/*.test-d.ts', '!**/testing/**', '!**/generated/**'];

const usage = `Usage: npm run mutate:code -- [${Object.keys(TARGETS).join('|')}]... [--force] [--ignore-static] [--concurrency N]`;
/** The arguments; an unknown option is a usage error (exit 2). */
function parseArguments() {
  try {
    return parseArgs({ options: { force: { type: 'boolean' }, 'ignore-static': { type: 'boolean' }, concurrency: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    console.error(`mutate:code: ${error instanceof Error ? error.message : error}`);
    console.error(usage);
    process.exit(2);
  }
}
const parsed = parseArguments();
const force = parsed.values.force ?? false;
// Static mutants (module-level code: constants, tables) run against every test, not only those that cover
// them; on the sandbox they are a quarter of the mutants and three quarters of the time. `--ignore-static`
// leaves them out of the run and of the score (the summary says how many).
const ignoreStatic = parsed.values['ignore-static'] ?? false;
// One test process by default (2 cores shared by several people); more on a machine of one's own.
const concurrency = Number(parsed.values.concurrency ?? 1);
const named = parsed.positionals;
const unknown = named.filter((name) => !(name in TARGETS));
if (!(Number.isInteger(concurrency) && concurrency >= 1)) unknown.push(`--concurrency ${parsed.values.concurrency} (a whole number of test processes, 1 or more)`);
if (unknown.length > 0) {
  console.error(`mutate:code: unknown ${unknown.join(', ')}`);
  console.error(usage);
  process.exit(2);
}
const packages = named.length > 0 ? named : Object.keys(TARGETS);

const { Stryker } = await import('@stryker-mutator/core');
/** @type {string[]} */
const below = [];
for (const target of packages) {
  console.log(`\nmutate:code: ${target}${force ? ' (--force: every mutant)' : ''}`);
  // The test runner's child processes inherit it: tools/mutate-code/vitest.config.mjs reads it.
  process.env.MUTATE_PACKAGE = target;
  /** @type {import('@stryker-mutator/api/core').MutantResult[]} */
  let results;
  try {
    results = await new Stryker({
      testRunner: 'vitest',
      plugins: ['@stryker-mutator/vitest-runner'],
      vitest: { configFile: 'tools/mutate-code/vitest.config.mjs' },
      mutate: [...(TARGETS[target] ?? []), ...NOT_SOURCE],
      coverageAnalysis: 'perTest',
      incremental: true,
      incrementalFile: `tools/mutate-code/incremental/${target}.json`,
      force,
      ignoreStatic,
      // Generous timeouts: the machine is often loaded.
      concurrency,
      timeoutMS: 10_000,
      timeoutFactor: 3,
      ignorePatterns: ['.turbo', '.ci', 'reports', 'tools/mutate-code/incremental', '**/.readme-samples'],
      reporters: ['clear-text', 'progress-append-only', 'html'],
      htmlReporter: { fileName: `reports/mutation/${target}.html` },
      clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
      thresholds: { high: 90, low: TARGET, break: null },
      cleanTempDir: 'always',
    }).runMutationTest();
  } catch (error) {
    console.error(`mutate:code: Stryker could not run on ${target}: ${error instanceof Error ? error.message : error}`);
    process.exit(3);
  }
  const summary = summarize(results);
  writeSurvivors(target, summary.survivors);
  const score = summary.valid === 0 ? 100 : (100 * summary.detected) / summary.valid;
  console.log(
    `\nmutate:code: ${target}: ${score.toFixed(2)}% killed (${summary.detected} of ${summary.valid} valid mutants; ` +
      `${summary.survivors.length} survived, ${summary.noCoverage} not covered by any test; ` +
      `${summary.ignored > 0 ? `${summary.ignored} ignored (static, --ignore-static); ` : ''}target ${TARGET}%)`,
  );
  console.log(`  survivors: reports/mutation/${target}.survivors.txt; full report: reports/mutation/${target}.html`);
  if (score < TARGET) below.push(`${target} ${score.toFixed(2)}%`);
}
if (below.length > 0) {
  console.error(`\nmutate:code: under the ${TARGET}% target: ${below.join(', ')}`);
  process.exit(1);
}
console.log(`\nmutate:code: every package named reached ${TARGET}%`);

/** @param {import('@stryker-mutator/api/core').MutantResult[]} results */
function summarize(results) {
  const count = (/** @type {string[]} */ ...states) => results.filter((result) => states.includes(result.status)).length;
  const survivors = results.filter((result) => result.status === 'Survived' || result.status === 'NoCoverage');
  return {
    detected: count('Killed', 'Timeout'),
    valid: count('Killed', 'Timeout', 'Survived', 'NoCoverage'),
    noCoverage: count('NoCoverage'),
    ignored: count('Ignored'),
    survivors,
  };
}

/**
 * One line per survivor, `file:line:column mutator: replacement`, for docs/contract-verification.md.
 * @param {string} target @param {import('@stryker-mutator/api/core').MutantResult[]} survivors
 */
function writeSurvivors(target, survivors) {
  const lines = survivors
    .map((mutant) => {
      const file = relative(repoRoot, resolve(repoRoot, mutant.fileName));
      const { line, column } = mutant.location.start;
      const replacement = (mutant.replacement ?? '').replace(/\s+/g, ' ').slice(0, 120);
      return `${file}:${line}:${column + 1} ${mutant.mutatorName}${mutant.status === 'NoCoverage' ? ' (no coverage)' : ''}: ${replacement}`;
    })
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  mkdirSync(join(repoRoot, 'reports/mutation'), { recursive: true });
  writeFileSync(join(repoRoot, `reports/mutation/${target}.survivors.txt`), lines.join('\n') + (lines.length ? '\n' : ''));
}
