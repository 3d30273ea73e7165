// @ts-check
// The contract coverage gate. Every contract test hands its exchanges, summarised, to this reporter
// through its meta (tools/testing/vitest-contract.mjs). At the end of a run it prints, per API, how many
// exchanges exercised each (operation, documented status) pair, split in two: reached by behaviour (a
// request the server answered as it would, no `Prefer`), and forced (the request asked Prism for that
// status with `Prefer: code=…`). Listed before summary-reporter.mjs, whose line stays last; this
// onTestRunEnd prints synchronously because vitest runs the reporters' hooks together.
//
// What the gate enforces, for each API whose test files all ran (no file, project or name filter):
//   - every documented pair exercised, by behaviour or forced: Prism is stateless, so a 409 ("Email already
//     exists"), a 429 or a 404 can only be forced today; requiring them by behaviour would fail every run
//     until a stateful server (the sandbox) records them, so they are reported, not required;
//   - every operation reaching a documented 2xx by behaviour: a valid request must succeed unforced;
//   - every vendor example of the page travelling in an exchange.
// Behaviour coverage is printed beside it, with the pairs so far reached only by forcing.
// On a complete run it also fails, naming the cause, when an API has no vitest project of its name, or
// when a test file of the API is left out of its project (not matched by its include, or excluded): the
// gate would otherwise not apply, or not see what never ran.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { listApis, repoRoot } from '../apis.mjs';
import { documentedStatusKey } from '@techapi/openapi-validator';
import { seedJsonExamples } from '../testing/seed-examples.mjs';
import { loadSpec, specOperations } from '../testing/spec.mjs';
import { addRunFailures, resetRunFailures } from './run-failures.mjs';

/** @typedef {import('../testing/vitest-contract.mjs').ContractMeta} ContractMeta */
/** @typedef {{ pairs: Map<string, number>, forced: Map<string, number>, seeds: Set<number> }} Seen */

/** A test file of an API: any `*.test.*` or `*.test-d.*` under packages/<api>/ (dependencies and build output aside). */
const TEST_FILE = /\.test(-d)?\.[cm]?[jt]sx?$/;

/** @param {string} dir @returns {string[]} absolute paths of the test files under `dir` */
export function testFilesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && TEST_FILE.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !/[\\/](node_modules|dist)[\\/]/.test(relative(dir, file)))
    .sort();
}

/** @implements {Partial<import('vitest/reporters').Reporter>} */
export default class ContractCoverageReporter {
  /** @type {import('vitest/node').Vitest | undefined} */
  vitest = undefined;
  /** APIs whose every test file is in this run: the gate applies to them. @type {Set<string>} */
  gated = new Set();
  /** Why the gate cannot see all of an API's tests, found at the start. @type {string[]} */
  setupFailures = [];

  /** @param {import('vitest/node').Vitest} vitest */
  onInit(vitest) {
    this.vitest = vitest;
  }

  /** @param {ReadonlyArray<import('vitest/node').TestSpecification>} specifications */
  async onTestRunStart(specifications) {
    resetRunFailures();
    this.gated = new Set();
    this.setupFailures = [];
    const config = /** @type {{ testNamePattern?: unknown, project?: string[] } | undefined} */ (this.vitest?.config);
    if (config?.testNamePattern) return; // `-t`: only some tests run, coverage cannot be complete
    const ran = new Set(specifications.map((specification) => specification.moduleId));
    const projects = this.vitest?.projects ?? [...new Set(specifications.map((specification) => specification.project))];
    /** @type {Map<string, string[]>} every file each project globs, typecheck files included */
    const globbed = new Map();
    for (const project of projects) {
      const { testFiles, typecheckTestFiles = [] } = await project.globTestFiles();
      globbed.set(project.name, [...testFiles, ...typecheckTestFiles]);
    }
    const projectComplete = (/** @type {string} */ name) => (globbed.get(name) ?? []).every((file) => ran.has(file));
    // Complete: no project filter, and every file of every project ran (no file filter).
    const complete = !config?.project?.length && [...globbed.keys()].every(projectComplete);
    for (const api of listApis()) {
      const files = globbed.get(api.name);
      if (!files) {
        if (complete) {
          this.setupFailures.push(
            `${api.name}: no vitest project is named "${api.name}", so its contract coverage is not gated ` +
              `(set test.name: '${api.name}' in ${relative(repoRoot, join(api.packageDir, 'vitest.config.ts'))})`,
          );
        }
        continue;
      }
      if (!projectComplete(api.name)) continue;
      const inProject = new Set(files);
      const left = testFilesUnder(api.packageDir).filter((file) => !inProject.has(file));
      for (const file of left) {
        this.setupFailures.push(`${api.name}: ${relative(repoRoot, file)} is not in the "${api.name}" project's test files (its include or exclude leaves it out): it never runs`);
      }
      if (left.length === 0) this.gated.add(api.name);
    }
  }

  /** @param {ReadonlyArray<import('vitest/node').TestModule>} testModules */
  onTestRunEnd(testModules) {
    /** @type {Map<string, Seen>} */
    const seen = new Map();
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        for (const meta of /** @type {{ contracts?: ContractMeta[] }} */ (test.meta()).contracts ?? []) {
          const api = seen.get(meta.api) ?? { pairs: new Map(), forced: new Map(), seeds: new Set() };
          for (const [pair, count] of Object.entries(meta.pairs)) api.pairs.set(pair, (api.pairs.get(pair) ?? 0) + count);
          for (const [pair, count] of Object.entries(meta.forced ?? {})) api.forced.set(pair, (api.forced.get(pair) ?? 0) + count);
          meta.seeds.forEach((seed) => api.seeds.add(seed));
          seen.set(meta.api, api);
        }
      }
    }
    const ranApis = new Set(testModules.map((testModule) => testModule.project.name));
    const lines = [];
    /** @type {string[]} */
    const failures = [...this.setupFailures];
    for (const { name } of listApis()) {
      if (!ranApis.has(name)) continue;
      const result = coverageOf(name, seen.get(name) ?? { pairs: new Map(), forced: new Map(), seeds: new Set() });
      const gated = this.gated.has(name);
      lines.push('', ...result.table, gated ? '' : `  (not every ${name} test file ran: the gate does not apply)`);
      if (gated) failures.push(...result.missing);
    }
    if (lines.length === 0 && failures.length === 0) return;
    const out = lines.length === 0 ? [''] : [
      '',
      'Contract coverage: exchanges per (operation, documented status), through the real clients;',
      'each cell is "by behaviour + forced" (forced: the request asked the mock for that status with Prefer)',
      ...lines,
    ];
    if (failures.length > 0) {
      out.push(`Contract coverage gate FAILED (${failures.length}):`, ...failures.map((failure) => `  ✗ ${failure}`));
    } else if ([...this.gated].some((name) => ranApis.has(name))) {
      out.push(`Contract coverage gate passed: ${[...this.gated].filter((name) => ranApis.has(name)).join(', ')}.`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
    addRunFailures(failures);
  }
}

/**
 * @param {string} apiName @param {Seen} seen
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
  const width = 9;
  const header = `${apiName.padEnd(nameWidth + 2)}${statuses.map((status) => status.padStart(width)).join('')}`;
  /** @type {string[]} */
  const missing = [];
  /** @type {string[]} */
  const forcedOnly = [];
  let pairCount = 0;
  let covered = 0;
  let byBehaviour = 0;
  const rows = operations.map((operation) => {
    const responses = operation.operation.responses ?? {};
    let successByBehaviour = false;
    const cells = statuses.map((status) => {
      if (!(status in responses)) return '·'.padStart(width);
      pairCount++;
      const total = countFor(seen.pairs, operation.operationId, status, responses);
      const forced = countFor(seen.forced, operation.operationId, status, responses);
      const behaviour = total - forced;
      if (total === 0) missing.push(`${apiName} ${operation.operationId} ${status}: no contract test exercised it`);
      else covered++;
      if (behaviour > 0) byBehaviour++;
      else if (forced > 0) forcedOnly.push(`${operation.operationId} ${status}`);
      if (behaviour > 0 && status.startsWith('2')) successByBehaviour = true;
      return (total === 0 ? '0 ✗' : `${behaviour}+${forced}`).padStart(width);
    });
    if (!successByBehaviour) {
      missing.push(`${apiName} ${operation.operationId}: no exchange reached a documented 2xx without Prefer (a valid request must succeed unforced)`);
    }
    return `  ${label(operation).padEnd(nameWidth)}${cells.join('')}`;
  });
  /** @type {unknown[]} */
  let seeds = [];
  try {
    seeds = seedJsonExamples(apiName);
  } catch (error) {
    missing.push(`${apiName} vendor page unreadable: ${error instanceof Error ? error.message : String(error)}`);
  }
  seeds.forEach((seed, index) => {
    if (!seen.seeds.has(index)) {
      missing.push(`${apiName} vendor example #${index + 1} never travelled in an exchange: ${JSON.stringify(seed).slice(0, 100)}`);
    }
  });
  const exchanges = [...seen.pairs.values()].reduce((sum, count) => sum + count, 0);
  return {
    table: [
      header,
      ...rows,
      `  pairs exercised: ${covered}/${pairCount} (by behaviour: ${byBehaviour}/${pairCount})   ` +
        `vendor examples replayed: ${seen.seeds.size}/${seeds.length}   exchanges: ${exchanges}`,
      ...(forcedOnly.length > 0 ? [`  reached only by Prefer, until a stateful server produces them: ${forcedOnly.join(', ')}`] : []),
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
