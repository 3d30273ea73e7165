// @ts-check
// The coverage gate, fed the way vitest feeds it (test modules whose tests carry contract meta), and
// followed by the summary reporter whose count line must stay last and count the gate's failures.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listSpecOperations } from '@techapi/openapi-validator';
import { seedJsonExamples } from '../testing/seed-examples.mjs';
import { loadSpec } from '../testing/spec.mjs';
import ContractCoverageReporter from './contract-coverage-reporter.mjs';
import { resetRunFailures, runFailures } from './run-failures.mjs';
import SummaryReporter from './summary-reporter.mjs';

const api = 'take-control';
const allPairs = listSpecOperations(loadSpec(api)).flatMap((operation) =>
  Object.keys(operation.operation.responses).map((status) => `${operation.operationId} ${status}`),
);
const allSeeds = seedJsonExamples(api).map((_seed, index) => index);

/** A finished test module of project `api` whose one passing test carries `meta`. @param {unknown} meta */
function moduleWith(meta) {
  const test = { meta: () => ({ contracts: [meta] }), result: () => ({ state: 'passed' }) };
  return /** @type {any} */ ({ project: { name: api }, state: () => 'passed', children: { allTests: () => [test] } });
}

/** Runs the reporters as vitest does: start, then end; returns what they printed. @param {string[]} ranFiles @param {unknown} meta */
async function run(ranFiles, meta) {
  const written = /** @type {string[]} */ ([]);
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  const exitCode = process.exitCode;
  try {
    const coverage = new ContractCoverageReporter();
    coverage.onInit(/** @type {any} */ ({ config: {} }));
    const project = { name: api, globTestFiles: async () => ({ testFiles: ['a.test.ts', 'b.test.ts'] }) };
    await coverage.onTestRunStart(/** @type {any} */ (ranFiles.map((moduleId) => ({ project, moduleId }))));
    const modules = [moduleWith(meta)];
    coverage.onTestRunEnd(modules);
    new SummaryReporter().onTestRunEnd(modules, []);
  } finally {
    write.mockRestore();
    process.exitCode = exitCode; // the gate sets it; this test's own run must not inherit it
  }
  return written.join('');
}

afterEach(() => resetRunFailures());

describe('the contract coverage gate', () => {
  it('passes when every documented pair and vendor example was exercised, and prints the table', async () => {
    const pairs = Object.fromEntries(allPairs.map((pair) => [pair, 2]));
    const out = await run(['a.test.ts', 'b.test.ts'], { api, pairs, seeds: allSeeds });
    expect(out).toMatch(/createTechnician\s+POST \/tech\s+2\s+2\s+2\s+2\s+·\s+2\s+2/);
    expect(out).toContain(`pairs exercised: ${allPairs.length}/${allPairs.length}`);
    expect(out).toContain(`vendor examples replayed: ${allSeeds.length}/${allSeeds.length}`);
    expect(out).toContain('Contract coverage gate passed: take-control.');
    expect(out.trimEnd().split('\n').pop()).toBe('1 passed, 0 failed');
    expect(runFailures()).toEqual([]);
  });

  it('fails the run, names each missing pair and example, and counts them in the last line', async () => {
    const pairs = Object.fromEntries(allPairs.filter((pair) => pair !== 'createTechnician 409').map((pair) => [pair, 1]));
    const out = await run(['a.test.ts', 'b.test.ts'], { api, pairs, seeds: allSeeds.slice(1) });
    expect(out).toMatch(/createTechnician\s+POST \/tech\s+1\s+1\s+1\s+1\s+·\s+0 ✗\s+1/);
    expect(out).toContain('Contract coverage gate FAILED (2):');
    expect(out).toContain('✗ take-control createTechnician 409: no contract test exercised it');
    expect(out).toMatch(/✗ take-control vendor example #1 never travelled in an exchange: \{"email"/);
    expect(out.trimEnd().split('\n').pop()).toBe('1 passed, 2 failed');
  });

  it('does not apply when only some of the API\'s test files ran', async () => {
    const out = await run(['a.test.ts'], { api, pairs: {}, seeds: [] });
    expect(out).toContain('(not every take-control test file ran: the gate does not apply)');
    expect(out.trimEnd().split('\n').pop()).toBe('1 passed, 0 failed');
  });
});
