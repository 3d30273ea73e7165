// @ts-check
// The contract coverage gate. Every contract test hands its exchanges, summarised, to this reporter
// through its meta (tools/testing/vitest-contract.mjs). At the end of a run it prints, per API, how many
// exchanges exercised each (operation, documented status) pair and which of the vendor page's examples
// travelled; then, for each API whose tests all ran (no file or name filter), every documented pair not
// exercised and every vendor example not replayed is a failure: named here, counted in the summary line.
// Listed before summary-reporter.mjs, whose line stays last; this onTestRunEnd prints synchronously
// because vitest runs the reporters' hooks together.
import { listApis } from '../apis.mjs';
import { documentedStatusKey } from '@techapi/openapi-validator';
import { seedJsonExamples } from '../testing/seed-examples.mjs';
import { loadSpec, specOperations } from '../testing/spec.mjs';
import { addRunFailures, resetRunFailures } from './run-failures.mjs';

/** @typedef {import('../testing/vitest-contract.mjs').ContractMeta} ContractMeta */

/** @implements {Partial<import('vitest/reporters').Reporter>} */
export default class ContractCoverageReporter {
  /** @type {import('vitest/node').Vitest | undefined} */
  vitest = undefined;
  /** APIs whose every test file is in this run: the gate applies to them. @type {Set<string>} */
  gated = new Set();

  /** @param {import('vitest/node').Vitest} vitest */
  onInit(vitest) {
    this.vitest = vitest;
  }

  /** @param {ReadonlyArray<import('vitest/node').TestSpecification>} specifications */
  async onTestRunStart(specifications) {
    resetRunFailures();
    this.gated = new Set();
    if (this.vitest?.config.testNamePattern) return; // `-t`: only some tests run, coverage cannot be complete
    const apiNames = new Set(listApis().map((api) => api.name));
    /** @type {Map<import('vitest/node').TestProject, Set<string>>} */
    const ran = new Map();
    for (const specification of specifications) {
      const files = ran.get(specification.project) ?? new Set();
      files.add(specification.moduleId);
      ran.set(specification.project, files);
    }
    for (const [project, files] of ran) {
      if (!apiNames.has(project.name)) continue;
      const { testFiles } = await project.globTestFiles();
      if (testFiles.every((file) => files.has(file))) this.gated.add(project.name);
    }
  }

  /** @param {ReadonlyArray<import('vitest/node').TestModule>} testModules */
  onTestRunEnd(testModules) {
    /** @type {Map<string, { pairs: Map<string, number>, seeds: Set<number> }>} */
    const seen = new Map();
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        for (const meta of /** @type {{ contracts?: ContractMeta[] }} */ (test.meta()).contracts ?? []) {
          const api = seen.get(meta.api) ?? { pairs: new Map(), seeds: new Set() };
          for (const [pair, count] of Object.entries(meta.pairs)) api.pairs.set(pair, (api.pairs.get(pair) ?? 0) + count);
          meta.seeds.forEach((seed) => api.seeds.add(seed));
          seen.set(meta.api, api);
        }
      }
    }
    const ranApis = new Set(testModules.map((testModule) => testModule.project.name));
    const lines = [];
    /** @type {string[]} */
    const failures = [];
    for (const { name } of listApis()) {
      if (!ranApis.has(name)) continue;
      const result = coverageOf(name, seen.get(name) ?? { pairs: new Map(), seeds: new Set() });
      const gated = this.gated.has(name);
      lines.push('', ...result.table, gated ? '' : `  (not every ${name} test file ran: the gate does not apply)`);
      if (gated) failures.push(...result.missing);
    }
    if (lines.length === 0) return;
    const out = ['', 'Contract coverage: exchanges per (operation, documented status), through the real clients', ...lines];
    if (failures.length > 0) {
      out.push(`Contract coverage gate FAILED (${failures.length}):`, ...failures.map((failure) => `  ✗ ${failure}`));
    } else if (this.gated.size > 0) {
      out.push(`Contract coverage gate passed: ${[...this.gated].join(', ')}.`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
    addRunFailures(failures);
  }
}

/**
 * @param {string} apiName @param {{ pairs: Map<string, number>, seeds: Set<number> }} seen
 * @returns {{ table: string[], missing: string[] }}
 */
export function coverageOf(apiName, seen) {
  const spec = loadSpec(apiName);
  // Spec order, as a reader of the spec sees the operations.
  const operations = specOperations(spec);
  const statuses = [...new Set(operations.flatMap((operation) => Object.keys(operation.operation.responses ?? {})))].sort();
  const idWidth = Math.max(...operations.map((operation) => operation.operationId.length));
  /** @param {ReturnType<typeof specOperations>[number]} operation */
  const label = (operation) => `${operation.operationId.padEnd(idWidth)}  ${operation.method} ${operation.path}`;
  const nameWidth = Math.max(...operations.map((operation) => label(operation).length));
  const header = `${apiName.padEnd(nameWidth + 2)}${statuses.map((status) => status.padStart(7)).join('')}`;
  /** @type {string[]} */
  const missing = [];
  const rows = operations.map((operation) => {
    const cells = statuses.map((status) => {
      if (!(status in (operation.operation.responses ?? {}))) return '·'.padStart(7);
      const count = countFor(seen.pairs, operation.operationId, status, operation.operation.responses);
      if (count === 0) missing.push(`${apiName} ${operation.operationId} ${status}: no contract test exercised it`);
      return (count === 0 ? '0 ✗' : String(count)).padStart(7);
    });
    return `  ${label(operation).padEnd(nameWidth)}${cells.join('')}`;
  });
  const seeds = seedJsonExamples(apiName);
  seeds.forEach((seed, index) => {
    if (!seen.seeds.has(index)) {
      missing.push(`${apiName} vendor example #${index + 1} never travelled in an exchange: ${JSON.stringify(seed).slice(0, 100)}`);
    }
  });
  const pairCount = operations.reduce((sum, operation) => sum + Object.keys(operation.operation.responses ?? {}).length, 0);
  const covered = pairCount - missing.filter((line) => line.endsWith('no contract test exercised it')).length;
  return {
    table: [
      header,
      ...rows,
      `  pairs exercised: ${covered}/${pairCount}   vendor examples replayed: ${seen.seeds.size}/${seeds.length}   ` +
        `exchanges: ${[...seen.pairs.values()].reduce((sum, count) => sum + count, 0)}`,
    ],
    missing,
  };
}

/**
 * Exchanges of `operationId` counted for a documented status key: `200`, a range such as `4XX` (its
 * statuses not documented on their own), or `default` (any status no other key documents).
 * @param {Map<string, number>} pairs @param {string} operationId @param {string} status @param {Record<string, unknown>} responses
 */
function countFor(pairs, operationId, status, responses) {
  let count = 0;
  for (const [pair, n] of pairs) {
    const [id, code] = pair.split(' ');
    if (id === operationId && code !== undefined && documentedStatusKey(responses, Number(code)) === status) count += n;
  }
  return count;
}
