// @ts-check
// Contract scenarios: one valid request per request example of each operation, with its parameters
// taken from the spec's examples, and the driver that sends a spec-level request through an API's real
// client. The same scenarios run against the mock (packages/<api>/src/contract.test.ts) and, through
// Prism's validation proxy, against a real server (`npm run verify`).
import { deref, listOperations, loadSpec } from './spec.mjs';

/**
 * @typedef {object} SpecRequest  a request as the spec describes it, before any client shapes it
 * @property {Record<string, any>} path
 * @property {Record<string, any>} query
 * @property {any} [body]
 *
 * @typedef {object} CallInit  per-call options every client method takes
 * @property {Record<string, string>} [headers]
 * @property {AbortSignal} [signal]
 * @property {number} [timeoutMs]
 * @property {false} [retry]
 *
 * @typedef {object} CallOutcome  what a driver call resolves with: a client result, reduced
 * @property {unknown} [data]
 * @property {import('@techapi/client-core').ApiError} [error]
 *
 * @typedef {object} ClientSetup  how the contract tools want a client built
 * @property {string} baseUrl
 * @property {string} [key]       the API's credential (an integration key, a token); a placeholder if absent
 * @property {(request: Request) => Promise<Response>} fetch  the recorded fetch
 * @property {(transport: import('@techapi/client-core').Transport) => import('@techapi/client-core').Transport} wrapTransport
 *
 * @typedef {object} Driver  an API's client, as the contract tools call it
 * @property {string} api
 * @property {(pkg: any, setup: ClientSetup) => any} createClient  `pkg` is the package's module (its source in tests, its build for verify)
 * @property {Record<string, (client: any, request: SpecRequest, init: CallInit) => Promise<CallOutcome>>} call  one per operationId
 * @property {string[]} [reports]  operations whose method resolves with a report of its own, not the response body
 * @property {Record<string, Reshape>} [sends]  operations whose method does not send a spec-level request as
 *   given (it takes some fields only): what it sends instead, so that a test never claims to send what it cannot
 * @property {Record<string, string>} [bodyNames]  the name an operation's own refusals (`invalid-input`) give its body
 *
 * @typedef {object} Reshape
 * @property {string} because  why, in a few words
 * @property {(request: SpecRequest) => SpecRequest} request  the request the method sends for `request`
 *
 * @typedef {object} Scenario
 * @property {string} name
 * @property {string} operationId
 * @property {SpecRequest} request
 */

/** The example of a parameter: its own, else its schema's. @param {any} spec @param {any} parameter */
function parameterExample(spec, parameter) {
  if (parameter.example !== undefined) return parameter.example;
  const named = Object.values(parameter.examples ?? {})[0];
  if (named !== undefined) return deref(spec, named).value;
  const schema = deref(spec, parameter.schema) ?? {};
  return schema.example ?? schema.examples?.[0];
}

/** @param {string} apiName @returns {Scenario[]} */
export function exampleScenarios(apiName) {
  const spec = loadSpec(apiName);
  return listOperations(apiName).flatMap((operation) => {
    /** @type {SpecRequest} */
    const base = { path: {}, query: {} };
    for (const parameter of operation.parameters) {
      const example = parameterExample(spec, parameter);
      if (example === undefined) {
        if (parameter.required) throw new Error(`${operation.operationId}: required ${parameter.in} parameter "${parameter.name}" has no example`);
        continue;
      }
      if (parameter.in === 'path') base.path[parameter.name] = example;
      else if (parameter.in === 'query') base.query[parameter.name] = example;
    }
    const bodyExamples = operation.requestExamples;
    if (deref(spec, operation.operation.requestBody)?.required && bodyExamples.length === 0) throw new Error(`${operation.operationId}: its required body has no example`);
    if (bodyExamples.length === 0) return [{ name: `${operation.operationId}`, operationId: operation.operationId, request: base }];
    return bodyExamples.map((example) => ({
      name: `${operation.operationId} "${example.name}"`,
      operationId: operation.operationId,
      request: { ...base, body: example.value },
    }));
  });
}

/**
 * Calls `operationId` through the driver, turning a throw (which no client method may do) into a
 * failure the caller sees as such.
 * @param {Driver} driver @param {any} client @param {string} operationId @param {SpecRequest} request @param {CallInit} [init]
 * @returns {Promise<CallOutcome & { threw?: unknown }>}
 */
export async function callOperation(driver, client, operationId, request, init = {}) {
  const call = driver.call[operationId];
  if (!call) throw new Error(`the ${driver.api} driver cannot call ${operationId}: add it to tools/testing/drivers/${driver.api}.mjs`);
  try {
    return await call(client, request, init);
  } catch (threw) {
    return { threw };
  }
}
