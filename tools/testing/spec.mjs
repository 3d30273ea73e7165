// @ts-check
// Reads a bundled spec (dist/specs/<api>.json) for tests: its operations, statuses and named examples.
import { readFileSync } from 'node:fs';
import { getApi } from '../apis.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/**
 * @typedef {object} NamedExample
 * @property {string} name
 * @property {unknown} value
 *
 * @typedef {object} OperationInfo
 * @property {string} operationId
 * @property {string} method   upper case
 * @property {string} path     the path template
 * @property {any} operation   the operation object, refs unresolved
 * @property {NamedExample[]} requestExamples
 * @property {Map<number, NamedExample[]>} responseExamples  by status
 */

/** @param {string} apiName @returns {any} the bundled spec as JSON */
export function loadSpec(apiName) {
  return JSON.parse(readFileSync(getApi(apiName).bundledJson, 'utf8'));
}

/** Resolves a local `$ref` (`#/components/...`) of `spec`, repeatedly. @param {any} spec @param {any} node */
export function deref(spec, node) {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce((/** @type {any} */ at, /** @type {string} */ key) => at[key.replaceAll('~1', '/').replaceAll('~0', '~')], spec);
  }
  return current;
}

/** @param {any} spec @param {any} media @returns {NamedExample[]} */
function examplesOf(spec, media) {
  if (!media?.examples) return [];
  return Object.entries(media.examples).map(([name, example]) => ({ name, value: deref(spec, example).value }));
}

/** @param {string} apiName @returns {OperationInfo[]} */
export function listOperations(apiName) {
  const spec = loadSpec(apiName);
  /** @type {OperationInfo[]} */
  const operations = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const requestBody = deref(spec, operation.requestBody);
      /** @type {Map<number, NamedExample[]>} */
      const responseExamples = new Map();
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const content = deref(spec, response).content ?? {};
        responseExamples.set(Number(status), Object.values(content).flatMap((media) => examplesOf(spec, media)));
      }
      operations.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        operation,
        requestExamples: Object.values(requestBody?.content ?? {}).flatMap((media) => examplesOf(spec, media)),
        responseExamples,
      });
    }
  }
  return operations;
}
