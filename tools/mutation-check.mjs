// @ts-check
// `npm run mutate [-- --api <api>] [-- --only <mutation id>]`: checks that the contract suite notices a
// spec that moves. In a temporary copy of the repo (the working tree is never touched: others may be
// running it), each mutation changes one thing in an API's bundled spec — a required field dropped, a
// property renamed or retyped, a success status changed, an error status or a format removed, an enum
// value renamed — then runs what `npm test` runs for that API: regenerate the types, typecheck the
// package (client, tests, type tests), and the API's vitest project (contract tests, fuzzing, type
// tests, coverage gate). A mutation is caught when something that passed on the unmutated spec fails.
// Redocly's lint of the mutated bundle is shown beside, for information: the point is what the tests catch.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { getApi, listApis, repoRoot } from './apis.mjs';
import { deref, specOperations } from './testing/spec.mjs';

/**
 * @typedef {object} Mutation
 * @property {string} id
 * @property {string} describe
 * @property {(spec: any) => void} apply  changes the bundled spec in place
 *
 * @typedef {object} StageResult
 * @property {boolean} ok
 * @property {string[]} failures  what failed (test names, type errors, gate lines)
 */

const { values } = parseArgs({ options: { api: { type: 'string' }, only: { type: 'string' }, keep: { type: 'boolean' } } });
const apis = values.api ? [getApi(values.api)] : listApis();

const copy = makeCopy();
console.log(`Mutation check in a copy of the repo: ${copy}`);
/** @type {{ api: string, id: string, describe: string, caughtBy: string[], lint: boolean }[]} */
const results = [];
try {
  for (const api of apis) {
    const original = readFileSync(api.bundledJson, 'utf8');
    const baseline = runStages(api.name);
    const baselineFailures = new Set(Object.values(baseline).flatMap((stage) => stage.failures));
    console.log(`\n${api.name}: baseline ${baselineFailures.size === 0 ? 'green' : `has ${baselineFailures.size} failure(s), ignored below: ${[...baselineFailures].join('; ')}`}`);
    const mutations = mutationsFor(JSON.parse(original)).filter((mutation) => !values.only || mutation.id === values.only);
    for (const mutation of mutations) {
      const spec = JSON.parse(original);
      mutation.apply(spec);
      writeSpec(api.name, spec);
      const lint = spawnSync(join(repoRoot, 'node_modules/.bin/redocly'), ['lint', relative(repoRoot, api.bundledYaml)], { cwd: copy, encoding: 'utf8' });
      const stages = runStages(api.name);
      const caughtBy = Object.entries(stages)
        .filter(([, stage]) => stage.failures.some((failure) => !baselineFailures.has(failure)))
        .map(([name, stage]) => `${name} (${stage.failures.filter((failure) => !baselineFailures.has(failure)).slice(0, 2).join('; ')})`);
      results.push({ api: api.name, id: mutation.id, describe: mutation.describe, caughtBy, lint: lint.status !== 0 });
      console.log(`  ${caughtBy.length > 0 ? 'CAUGHT ' : 'MISSED '} ${mutation.id}: ${mutation.describe}`);
      for (const line of caughtBy) console.log(`           by ${line}`);
      console.log(`           redocly lint of the mutated bundle: ${lint.status !== 0 ? 'fails' : 'passes'}`);
    }
    writeSpec(api.name, JSON.parse(original));
    runGenerate();
  }
} finally {
  if (!values.keep) rmSync(copy, { recursive: true, force: true });
}

const missed = results.filter((result) => result.caughtBy.length === 0);
console.log(`\n${results.length - missed.length}/${results.length} mutations caught by the tests.`);
for (const result of missed) console.log(`  missed: ${result.api} ${result.id}: ${result.describe}`);
process.exit(missed.length > 0 ? 1 : 0);

/** A copy of the working tree (tracked and untracked files, plus the bundled specs), sharing node_modules. */
function makeCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'techapi-mutation-'));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of [...files, ...listApis().flatMap((api) => [api.bundledJson, api.bundledYaml].map((path) => relative(repoRoot, path)))]) {
    if (!existsSync(join(repoRoot, file))) continue; // deleted in the working tree
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(dir, file));
  }
  for (const modules of ['node_modules', ...listApis().map((api) => join(relative(repoRoot, api.packageDir), 'node_modules'))]) {
    if (existsSync(join(repoRoot, modules))) symlinkSync(join(repoRoot, modules), join(dir, modules));
  }
  return dir;
}

/** @param {string} apiName @param {any} spec */
function writeSpec(apiName, spec) {
  const api = getApi(apiName);
  writeFileSync(join(copy, relative(repoRoot, api.bundledJson)), `${JSON.stringify(spec, null, 2)}\n`);
  writeFileSync(join(copy, relative(repoRoot, api.bundledYaml)), stringify(spec));
}

function runGenerate() {
  return spawnSync(process.execPath, ['tools/generate-types.mjs'], { cwd: copy, encoding: 'utf8' });
}

/**
 * What `npm test` runs for one API, in the copy.
 * @param {string} apiName @returns {Record<string, StageResult>}
 */
function runStages(apiName) {
  const generate = runGenerate();
  /** @type {Record<string, StageResult>} */
  const stages = { generate: { ok: generate.status === 0, failures: generate.status === 0 ? [] : [`generate: ${lastLine(generate.stderr)}`] } };
  const tsc = spawnSync(join(repoRoot, 'node_modules/.bin/tsc'), ['-p', `packages/${apiName}`], { cwd: copy, encoding: 'utf8' });
  const typeErrors = [...tsc.stdout.matchAll(/^(\S+)\(\d+,\d+\): error (TS\d+): (.*)$/gm)].map((match) => `${match[1]}: ${match[2]} ${match[3]?.slice(0, 100)}`);
  stages.typecheck = { ok: tsc.status === 0, failures: typeErrors.length > 0 || tsc.status === 0 ? typeErrors : ['tsc failed'] };
  const report = join(copy, '.vitest', `mutation-${apiName}.json`);
  const vitest = spawnSync(
    join(repoRoot, 'node_modules/.bin/vitest'),
    ['run', '--project', apiName, '--reporter=json', `--outputFile=${report}`, '--reporter=./tools/vitest/contract-coverage-reporter.mjs'],
    { cwd: copy, encoding: 'utf8', env: { ...process.env, FUZZ_RUNS: process.env.FUZZ_RUNS ?? '50', FORCE_COLOR: '0' } },
  );
  /** @type {string[]} */
  const failures = [];
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    for (const file of json.testResults ?? []) {
      if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) failures.push(`${relative(copy, file.name)}: ${lastLine(file.message ?? '')}`);
      for (const test of file.assertionResults ?? []) if (test.status === 'failed') failures.push(`test "${test.fullName}"`);
    }
  } else {
    failures.push(`vitest: ${lastLine(vitest.stderr)}`);
  }
  const gate = vitest.stdout.split('\n').filter((line) => line.startsWith('  ✗ '));
  failures.push(...gate.map((line) => `coverage gate: ${line.slice(4)}`));
  stages.contractTests = { ok: vitest.status === 0, failures };
  return stages;
}

/** @param {string} text */
function lastLine(text) {
  return text.trim().split('\n').filter(Boolean).pop()?.slice(0, 160) ?? '';
}

/**
 * The mutations of a spec, each found in it (so that the same check works for every API): the
 * component schemas of request and response bodies, the operations' statuses, parameters and enums.
 * @param {any} spec @returns {Mutation[]}
 */
function mutationsFor(spec) {
  const schemas = spec.components?.schemas ?? {};
  /** @param {any} schema @returns {string | undefined} the component a body schema is (or lists) */
  const componentOf = (schema) => {
    const ref = schema?.$ref ?? schema?.items?.$ref;
    return typeof ref === 'string' && ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined;
  };
  const operations = specOperations(spec);
  const requestComponents = operations.map(({ operation }) => componentOf(deref(spec, operation.requestBody)?.content?.['application/json']?.schema));
  const responseComponents = operations.flatMap(({ operation }) =>
    Object.entries(operation.responses ?? {})
      .filter(([status]) => status.startsWith('2'))
      .map(([, response]) => componentOf(deref(spec, response)?.content?.['application/json']?.schema)),
  );
  /** @param {(string | undefined)[]} names @param {(schema: any) => boolean} test */
  const firstComponent = (names, test) => names.find((name) => name !== undefined && test(schemas[name]));
  /** @type {Mutation[]} */
  const mutations = [];

  for (const [side, names] of /** @type {const} */ ([['request', requestComponents], ['response', responseComponents]])) {
    const withRequired = firstComponent(names, (schema) => (schema.required ?? []).length > 0);
    if (withRequired) {
      const field = schemas[withRequired].required[0];
      mutations.push({
        id: `${side}-drop-required`,
        describe: `${withRequired}.${field} is no longer required`,
        apply: (mutated) => {
          const schema = mutated.components.schemas[withRequired];
          schema.required = schema.required.filter((/** @type {string} */ name) => name !== field);
          if (schema.required.length === 0) delete schema.required;
        },
      });
    }
    const withProperties = firstComponent(names, (schema) => Object.keys(schema.properties ?? {}).length > 0);
    if (withProperties) {
      const field = schemas[withProperties].required?.[0] ?? Object.keys(schemas[withProperties].properties)[0];
      mutations.push({
        id: `${side}-rename-property`,
        describe: `${withProperties}.${field} is renamed ${field}Renamed`,
        apply: (mutated) => {
          const schema = mutated.components.schemas[withProperties];
          schema.properties = Object.fromEntries(
            Object.entries(schema.properties).map(([name, value]) => [name === field ? `${field}Renamed` : name, value]),
          );
          if (schema.required) schema.required = schema.required.map((/** @type {string} */ name) => (name === field ? `${field}Renamed` : name));
        },
      });
      const stringField = Object.entries(schemas[withProperties].properties).find(([, value]) => /** @type {any} */ (value).type === 'string')?.[0];
      if (stringField) {
        mutations.push({
          id: `${side}-retype-property`,
          describe: `${withProperties}.${stringField} becomes an integer`,
          apply: (mutated) => {
            const property = mutated.components.schemas[withProperties].properties[stringField];
            for (const keyword of ['format', 'minLength', 'maxLength', 'pattern', 'examples', 'example']) delete property[keyword];
            property.type = 'integer';
          },
        });
      }
    }
  }

  const first = operations[0];
  if (first) {
    const success = Object.keys(first.operation.responses).find((status) => status.startsWith('2'));
    const unused = ['202', '203', '206'].find((status) => !(status in first.operation.responses));
    if (success && unused) {
      mutations.push({
        id: 'success-status-changed',
        describe: `${first.operation.operationId} answers ${unused} instead of ${success}`,
        apply: (mutated) => {
          const responses = mutated.paths[first.path][first.method.toLowerCase()].responses;
          mutated.paths[first.path][first.method.toLowerCase()].responses = Object.fromEntries(
            Object.entries(responses).map(([status, value]) => [status === success ? unused : status, value]),
          );
        },
      });
    }
  }
  const withError = operations.find(({ operation }) => Object.keys(operation.responses).some((status) => status.startsWith('4')));
  if (withError) {
    const status = Object.keys(withError.operation.responses).filter((code) => code.startsWith('4')).pop();
    mutations.push({
      id: 'error-status-dropped',
      describe: `${withError.operation.operationId} no longer documents ${status}`,
      apply: (mutated) => {
        delete mutated.paths[withError.path][withError.method.toLowerCase()].responses[/** @type {string} */ (status)];
      },
    });
  }
  const parameters = Object.entries(spec.components?.parameters ?? {});
  const formatted = parameters.find(([, parameter]) => /** @type {any} */ (parameter).schema?.format);
  if (formatted) {
    const [name, parameter] = /** @type {[string, any]} */ (formatted);
    mutations.push({
      id: 'parameter-format-dropped',
      describe: `parameter ${parameter.name} loses its format ${parameter.schema.format}`,
      apply: (mutated) => {
        delete mutated.components.parameters[name].schema.format;
      },
    });
  }
  const optional = parameters.find(([, parameter]) => /** @type {any} */ (parameter).in === 'query' && /** @type {any} */ (parameter).required);
  if (optional) {
    const [name, parameter] = /** @type {[string, any]} */ (optional);
    mutations.push({
      id: 'parameter-made-optional',
      describe: `query parameter ${parameter.name} is no longer required`,
      apply: (mutated) => {
        mutated.components.parameters[name].required = false;
      },
    });
  }
  const enumerated = Object.entries(schemas).find(([, schema]) => Array.isArray(/** @type {any} */ (schema).enum));
  if (enumerated) {
    const [name, schema] = /** @type {[string, any]} */ (enumerated);
    mutations.push({
      id: 'enum-value-renamed',
      describe: `${name}: "${schema.enum[0]}" becomes "${schema.enum[0]}-renamed"`,
      apply: (mutated) => {
        mutated.components.schemas[name].enum[0] = `${schema.enum[0]}-renamed`;
      },
    });
  }
  return mutations;
}
