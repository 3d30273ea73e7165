// @ts-check
// Reads a bundled spec (dist/specs/<api>.json) for the tests and the docs build: its operations, statuses and
// named examples.
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
 * @property {any[]} parameters  the path item's and the operation's, dereferenced
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

/**
 * Every operation of a spec, in the spec's order: the one walk over `paths` that every test tool builds on.
 * @param {any} spec
 * @returns {{ operationId: string, method: string, path: string, pathItem: any, operation: any, parameters: any[] }[]}
 *   method in upper case; parameters are the path item's and the operation's, dereferenced, the operation's winning
 */
export function specOperations(spec) {
  return Object.entries(spec.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const operation = item[method];
      /** @type {Map<string, any>} */
      const parameters = new Map();
      for (const ref of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
        const parameter = deref(spec, ref);
        parameters.set(`${parameter.in}:${parameter.name}`, parameter);
      }
      return { operationId: operation.operationId, method: method.toUpperCase(), path, pathItem: item, operation, parameters: [...parameters.values()] };
    }),
  );
}

/** @param {string} apiName @returns {OperationInfo[]} */
export function listOperations(apiName) {
  const spec = loadSpec(apiName);
  return specOperations(spec).map(({ operationId, method, path, operation, parameters }) => {
    const requestBody = deref(spec, operation.requestBody);
    /** @type {Map<number, NamedExample[]>} */
    const responseExamples = new Map();
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      const content = deref(spec, response).content ?? {};
      responseExamples.set(Number(status), Object.values(content).flatMap((media) => examplesOf(spec, media)));
    }
    return {
      operationId,
      method,
      path,
      operation,
      parameters,
      requestExamples: Object.values(requestBody?.content ?? {}).flatMap((media) => examplesOf(spec, media)),
      responseExamples,
    };
  });
}
