// @ts-check
// The coverage gate, fed the way vitest feeds it (the run's projects and files, then test modules whose
// tests carry contract meta), and followed by the summary reporter whose count line must stay last and
// count the gate's failures.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getApi, listApis } from '../apis.mjs';
import { listSpecOperations } from '@techapi/openapi-validator';
import { seedJsonExamples } from '../testing/seed-examples.mjs';
import { loadSpec } from '../testing/spec.mjs';
import ContractCoverageReporter, { testFilesUnder } from './contract-coverage-reporter.mjs';
import { resetRunFailures, runFailures } from './run-failures.mjs';
import SummaryReporter from './summary-reporter.mjs';

const api = 'take-control';
const allPairs = listSpecOperations(loadSpec(api)).flatMap((operation) =>
  Object.keys(operation.operation.responses).map((status) => `${operation.operationId} ${status}`),
);
const allSeeds = seedJsonExamples(api).map((_seed, index) => index);
/** Every pair reached by behaviour, twice each. */
const everyPair = Object.fromEntries(allPairs.map((pair) => [pair, 2]));

/** A finished test module of project `api` whose one passing test carries `meta`. @param {unknown} meta */
function moduleWith(meta) {
  const test = { meta: () => ({ contracts: [meta] }), result: () => ({ state: 'passed' }) };
  return /** @type {any} */ ({ project: { name: api }, state: () => 'passed', errors: () => [], children: { allTests: () => [test], allSuites: () => [] } });
}

/** The projects as vitest resolves them from the repo's config: one per API, globbing its real test files. */
const realProjects = () =>
  listApis().map(({ name, packageDir }) => {
    const files = testFilesUnder(packageDir);
    return { name, globTestFiles: async () => ({ testFiles: files.filter((file) => !file.includes('.test-d.')), typecheckTestFiles: files.filter((file) => file.includes('.test-d.')) }) };
  });

/**
 * Runs the reporters as vitest does: start, then end; returns what they printed.
 * @param {unknown} meta @param {{ projects?: ReturnType<typeof realProjects>, ran?: (file: string) => boolean }} [setup]
 */
async function run(meta, { projects = realProjects(), ran = () => true } = {}) {
  const written = /** @type {string[]} */ ([]);
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  const exitCode = process.exitCode;
  try {
    const coverage = new ContractCoverageReporter();
    coverage.onInit(/** @type {any} */ ({ config: { project: [] }, projects }));
    /** @type {{ project: unknown, moduleId: string }[]} */
    const specifications = [];
    for (const project of projects) {
      const { testFiles, typecheckTestFiles } = await project.globTestFiles();
      for (const moduleId of [...testFiles, ...typecheckTestFiles]) if (ran(moduleId)) specifications.push({ project, moduleId });
    }
    await coverage.onTestRunStart(/** @type {any} */ (specifications));
    const modules = [moduleWith(meta)];
    coverage.onTestRunEnd(modules);
    new SummaryReporter().onTestRunEnd(modules, []);
  } finally {
    write.mockRestore();
    process.exitCode = exitCode; // the gate sets it; this test's own run must not inherit it
  }
  return written.join('');
}
const lastLine = (/** @type {string} */ out) => out.trimEnd().split('\n').pop();

afterEach(() => resetRunFailures());

describe('the contract coverage gate', () => {
  it('passes when every documented pair and vendor example was exercised, and prints the table', async () => {
    const out = await run({ api, pairs: everyPair, forced: {}, seeds: allSeeds });
    expect(out).toMatch(/createTechnician\s+POST \/tech\s+2\+0\s+2\+0\s+2\+0\s+2\+0\s+·\s+2\+0\s+2\+0/);
    expect(out).toContain(`pairs exercised: ${allPairs.length}/${allPairs.length} (by behaviour: ${allPairs.length}/${allPairs.length})`);
    expect(out).toContain(`vendor examples replayed: ${allSeeds.length}/${allSeeds.length}`);
    expect(out).toContain('Contract coverage gate passed: take-control.');
    expect(lastLine(out)).toBe('1 passed, 0 failed');
    expect(runFailures()).toEqual([]);
  });

  it('fails the run, names each missing pair and example, and counts them in the last line', async () => {
    const pairs = Object.fromEntries(allPairs.filter((pair) => pair !== 'createTechnician 409').map((pair) => [pair, 1]));
    const out = await run({ api, pairs, forced: {}, seeds: allSeeds.slice(1) });
    expect(out).toMatch(/createTechnician\s+POST \/tech\s+1\+0\s+1\+0\s+1\+0\s+1\+0\s+·\s+0 ✗\s+1\+0/);
    expect(out).toContain('Contract coverage gate FAILED (2):');
    expect(out).toContain('✗ take-control createTechnician 409: no contract test exercised it');
    expect(out).toMatch(/✗ take-control vendor example #1 never travelled in an exchange: \{"email"/);
    expect(lastLine(out)).toBe('1 passed, 2 failed');
  });

  it('tells forced statuses from behaviour: a pair reached only by Prefer passes and is listed, a success reached only by Prefer fails', async () => {
    const forced = { 'createTechnician 409': 2, 'setTechnicianStatus 200': 2 };
    const out = await run({ api, pairs: everyPair, forced, seeds: allSeeds });
    expect(out).toMatch(/createTechnician\s+POST \/tech\s+2\+0\s+2\+0\s+2\+0\s+2\+0\s+·\s+0\+2\s+2\+0/);
    expect(out).toContain(`pairs exercised: ${allPairs.length}/${allPairs.length} (by behaviour: ${allPairs.length - 2}/${allPairs.length})`);
    expect(out).toContain('reached only by Prefer, until a stateful server produces them: createTechnician 409, setTechnicianStatus 200');
    expect(out).toContain('Contract coverage gate FAILED (1):');
    expect(out).toContain('✗ take-control setTechnicianStatus: no exchange reached a documented 2xx without Prefer');
    expect(lastLine(out)).toBe('1 passed, 1 failed');
  });

  it('does not apply when only some of the API\'s test files ran', async () => {
    const out = await run({ api, pairs: {}, forced: {}, seeds: [] }, { ran: (file) => !file.endsWith('fuzz.test.ts') });
    expect(out).toContain('(not every take-control test file ran: the gate does not apply)');
    expect(lastLine(out)).toBe('1 passed, 0 failed');
  });

  it('fails, naming the cause, when an API has no vitest project of its name', async () => {
    const projects = realProjects().map((project) => (project.name === 'technicien' ? { ...project, name: 'gestion' } : project));
    const out = await run({ api, pairs: everyPair, forced: {}, seeds: allSeeds }, { projects });
    expect(out).toContain('✗ technicien: no vitest project is named "technicien", so its contract coverage is not gated (set test.name: \'technicien\' in packages/technicien/vitest.config.ts)');
    expect(lastLine(out)).toBe('1 passed, 1 failed');
  });

  it("fails, naming the file, when a test file of the API is left out of its project's glob", async () => {
    const fuzz = `${getApi(api).packageDir}/src/fuzz.test.ts`;
    const projects = realProjects().map((project) =>
      project.name === api
        ? { ...project, globTestFiles: async () => { const files = await project.globTestFiles(); return { ...files, testFiles: files.testFiles.filter((file) => file !== fuzz) }; } }
        : project,
    );
    const out = await run({ api, pairs: everyPair, forced: {}, seeds: allSeeds }, { projects });
    expect(out).toContain('✗ take-control: packages/take-control/src/fuzz.test.ts is not in the "take-control" project\'s test files (its include or exclude leaves it out): it never runs');
    expect(out).toContain('(not every take-control test file ran: the gate does not apply)');
    expect(lastLine(out)).toBe('1 passed, 1 failed');
  });
});
