// @ts-check
// Reads a bundled spec (dist/specs/<api>.json) for the tests and the docs build: its operations, statuses and
// named examples.
import { readFileSync } from 'node:fs';
import { deref, specOperations } from '@techapi/openapi-validator';
import { getApi } from '../apis.mjs';

// The spec walk and `$ref` resolution live with the validator; re-exported for the tests and the docs build.
export { deref, specOperations };

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

/** @param {any} spec @param {any} media @returns {NamedExample[]} */
function examplesOf(spec, media) {
  if (!media?.examples) return [];
  return Object.entries(media.examples).map(([name, example]) => ({ name, value: deref(spec, example).value }));
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
