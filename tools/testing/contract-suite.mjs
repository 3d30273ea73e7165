// @ts-check
// The contract tests every API package runs against its mock, defined once over the spec and the API's
// driver: the scenarios `npm run verify` sends to a real server, and (fuzz.mjs) property-based inputs.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mockUrl } from './mock-url.mjs';
import { FUZZ_RUNS, FUZZ_SEED, asHttpRequest, invalidRequestArbitrary, mutationSites, requestArbitrary } from './fuzz.mjs';
import { documentedStatusKey } from '@techapi/openapi-validator';
import { callOperation, exampleScenarios } from './scenarios.mjs';
import { listOperations } from './spec.mjs';
import { useContract } from './vitest-contract.mjs';

/** @typedef {import('./scenarios.mjs').Driver} Driver */

/**
 * The client of `driver.api`, built from the package's module `pkg`, talking to this project's mock
 * through the contract recorder.
 * @param {Driver} driver @param {unknown} pkg
 */
export function contractClient(driver, pkg) {
  const contract = useContract(driver.api);
  const client = driver.createClient(pkg, { baseUrl: mockUrl(driver.api), fetch: contract.fetch, wrapTransport: contract.wrapTransport });
  return { contract, client };
}

/** @param {Driver} driver @param {unknown} pkg */
export function defineScenarioTests(driver, pkg) {
  const { contract, client } = contractClient(driver, pkg);
  const operations = new Map(listOperations(driver.api).map((operation) => [operation.operationId, operation]));
  describe('contract scenarios (what `npm run verify` sends to a real server), against the mock', () => {
    it.each(exampleScenarios(driver.api))('$name gets a documented 2xx and its example, without a violation', async ({ operationId, request }) => {
      const outcome = await callOperation(driver, client, operationId, request);
      expect(outcome.threw).toBeUndefined();
      expect(outcome.error).toBeUndefined();
      expect(contract.exchanges.length).toBeGreaterThan(0);
      for (const exchange of contract.exchanges) {
        expect(exchange).toMatchObject({ operationId, violations: [] });
        expect(exchange.status).toBeGreaterThanOrEqual(200);
        expect(exchange.status).toBeLessThan(300);
      }
      const example = operations.get(operationId)?.responseExamples.get(contract.exchanges[0]?.status ?? 0)?.[0];
      if (example && !driver.reports?.includes(operationId)) expect(outcome.data).toEqual(example.value);
    });
  });
}

/**
 * Every documented status of every operation, asked of the mock with `Prefer: code=…, example=…` and
 * returned by the client as the spec says: a 2xx as data equal to its example, any other status as a
 * typed `http` error whose body is the example and whose message is the server's. A response the vendor
 * documents without a body is asked for by its status alone. The credential never shows in an error.
 * @param {Driver} driver @param {unknown} pkg
 */
export function defineDocumentedStatusTests(driver, pkg) {
  const contract = useContract(driver.api);
  const key = `${driver.api}-status-credential-7c1e9a`;
  const client = driver.createClient(pkg, { baseUrl: mockUrl(driver.api), key, fetch: contract.fetch, wrapTransport: contract.wrapTransport });
  /** @type {Map<string, import('./scenarios.mjs').SpecRequest>} the first valid request of each operation */
  const requests = new Map();
  for (const scenario of exampleScenarios(driver.api)) if (!requests.has(scenario.operationId)) requests.set(scenario.operationId, scenario.request);
  const cases = listOperations(driver.api).flatMap(({ operationId, responseExamples }) =>
    [...responseExamples.entries()].flatMap(([status, examples]) =>
      (examples.length > 0 ? examples : [undefined]).map((example) => ({ operationId, status, example })),
    ),
  );

  describe('every documented status of every operation, as the client returns it', () => {
    it.each(cases)('$operationId $status ("$example.name")', async ({ operationId, status, example }) => {
      const prefer = example ? `code=${status}, example=${example.name}` : `code=${status}`;
      // The mock answers every retry alike: one attempt is enough to see the answer.
      const request = requests.get(operationId) ?? { path: {}, query: {} };
      const outcome = await callOperation(driver, client, operationId, request, { headers: { Prefer: prefer }, retry: false });
      expect(outcome.threw).toBeUndefined();
      expect(contract.exchanges.map((exchange) => exchange.status)).toEqual([status]);
      if (status < 300) {
        expect(outcome.error).toBeUndefined();
        if (example && !driver.reports?.includes(operationId)) expect(outcome.data).toEqual(example.value);
        return;
      }
      const body = /** @type {any} */ (example?.value);
      expect(outcome.data).toBeUndefined();
      expect(outcome.error).toMatchObject({ kind: 'http', status, operation: operationId });
      expect(outcome.error?.body).toEqual(body);
      if (typeof body?.message === 'string') expect(outcome.error?.message).toBe(body.message);
      else expect(outcome.error?.message).not.toBe('');
      expect(JSON.stringify(outcome.error)).not.toContain(key);
    });
  });
}

/**
 * Property-based contract tests, per operation: valid requests built from the schemas get a documented
 * 2xx without a violation; requests broken in one known way are refused for that reason, never with a
 * throw or a hang: the mock's 4xx whose violations name the broken field or parameter (as this validator
 * does), or the client's own `invalid-input` naming it, with nothing sent. Mutations the client cannot
 * send as generated (the driver's `sends`) are checked on what is sent, under a title that says so.
 * Seeded: a failure prints the seed and the shrunk counterexample to replay.
 * @param {Driver} driver @param {unknown} pkg
 */
export function defineFuzzTests(driver, pkg) {
  const { contract, client } = contractClient(driver, pkg);
  const spec = contract.spec;
  /** Generous beside Prism's ~1 ms, short beside the test's timeout: a hang is a typed `timeout`, which fails the property. */
  const init = { timeoutMs: 5_000, retry: /** @type {const} */ (false) };
  const parameters = { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: false };
  const testTimeout = 30_000 + FUZZ_RUNS * 100;

  describe(`fuzz (fast-check, seed ${FUZZ_SEED}, ${FUZZ_RUNS} runs per property; FUZZ_RUNS, FUZZ_SEED)`, () => {
    for (const operation of contract.validator.operations) {
      const { operationId } = operation;

      it(`${operationId}: valid requests get a documented 2xx, without a violation`, { timeout: testTimeout }, async () => {
        await fc.assert(
          fc.asyncProperty(requestArbitrary(spec, operation), async (request) => {
            const before = contract.exchanges.length;
            const outcome = await callOperation(driver, client, operationId, request, init);
            const exchanges = contract.exchanges.slice(before);
            expect(outcome.threw).toBeUndefined();
            expect(outcome.error).toBeUndefined();
            expect(exchanges.length).toBeGreaterThan(0);
            for (const exchange of exchanges) {
              expect(exchange.violations).toEqual([]);
              expect(documentedStatusKey(operation.operation.responses, exchange.status)).toMatch(/^2/);
            }
          }),
          parameters,
        );
      });

      // Mutations the client sends as generated, and those it reshapes (it takes some fields only): the
      // second are checked on what is sent, and their title says so.
      const reshape = driver.sends?.[operationId];
      const sites = mutationSites(spec, operation);
      const sentAsGenerated = (/** @type {import('./fuzz.mjs').Site} */ site) =>
        !reshape ||
        fc
          .sample(/** @type {fc.Arbitrary<import('./fuzz.mjs').InvalidRequest>} */ (invalidRequestArbitrary(spec, operation, [site])), { seed: FUZZ_SEED, numRuns: 30 })
          .every(({ request }) => isDeepStrictEqual(asJson(reshape.request(request)), asJson(request)));
      const asGenerated = sites.filter(sentAsGenerated);
      const reshaped = sites.filter((site) => !asGenerated.includes(site));

      /**
       * Sends an invalid request and checks the refusal: a typed error, never a throw; either the client's
       * `invalid-input` with nothing sent, its message naming `name`, or the mock's 4xx whose violations
       * (its `sl-violations` header or 422 `validation[]`) name one of `targets`, as this validator does.
       * Given the mutation, the exchange must also show that the mutated value travelled as generated.
       * @param {import('./scenarios.mjs').SpecRequest} request @param {Target[]} targets @param {string} name
       * @param {import('./fuzz.mjs').Mutation} [mutation]
       */
      const refused = async (request, targets, name, mutation) => {
        const { result: outcome, exchanges, requestViolations } = await contract.invalid(() => callOperation(driver, client, operationId, request, init));
        expect(outcome.threw).toBeUndefined();
        const error = outcome.error;
        expect(error).toMatchObject({ operation: operationId, message: expect.any(String) });
        if (error?.kind === 'invalid-input') {
          // The client refused it before sending: nothing went out, and it said which input was wrong.
          expect(error.status).toBe(0);
          expect(exchanges).toEqual([]);
          expect(error.message).toContain(name);
          return;
        }
        expect(error?.kind).toBe('http');
        expect(error?.status).toBeGreaterThanOrEqual(400);
        expect(error?.status).toBeLessThan(500);
        if (mutation) {
          expect(exchanges.length).toBeGreaterThan(0);
          const sent = sentValue(operation, /** @type {import('./contract.mjs').Exchange} */ (exchanges[0]), mutation);
          expect(sent, `the mutated value (${mutation.describe}) as it travelled`).toEqual(generatedValue(request, mutation));
        }
        const fromMock = exchanges.flatMap((exchange) => exchange.violations.filter((violation) => violation.source === 'prism' && violation.direction === 'request'));
        expect(fromMock.filter((violation) => targets.some((target) => names(violation, target))), `the mock's refusal names ${describeTargets(targets)}`).not.toEqual([]);
        expect(requestViolations.filter((violation) => targets.some((target) => names(violation, target))), `this validator names ${describeTargets(targets)}`).not.toEqual([]);
      };

      if (asGenerated.length > 0) {
        it(`${operationId}: invalid requests are refused (a typed 4xx or invalid-input, never a throw), naming the field or parameter the mutation broke`, { timeout: testTimeout }, async () => {
          await fc.assert(
            fc.asyncProperty(/** @type {fc.Arbitrary<import('./fuzz.mjs').InvalidRequest>} */ (invalidRequestArbitrary(spec, operation, asGenerated)), async ({ request, mutation }) => {
              const target = { location: mutation.where, path: mutation.pointer.map(String) };
              // The request is invalid where the mutation says, before any client or mock sees it.
              const found = contract.validator.checkRequest(asHttpRequest(operation, request)).violations;
              expect(found.filter((violation) => names(violation, target)), `this validator names ${describeTargets([target])} in the generated request`).not.toEqual([]);
              const name = mutation.where === 'body' ? String(mutation.pointer.find((key) => typeof key === 'string') ?? driver.bodyNames?.[operationId] ?? 'body') : String(mutation.pointer[0]);
              await refused(request, [target], name, mutation);
            }),
            parameters,
          );
        });
      }

      if (reshape && reshaped.length > 0) {
        const list = reshaped.map((site) => `"${site.describe}"`).join(', ');
        it(`${operationId}: ${list} cannot be sent as generated (${reshape.because}): the request sent instead is refused, naming what it broke`, { timeout: testTimeout }, async () => {
          await fc.assert(
            fc.asyncProperty(/** @type {fc.Arbitrary<import('./fuzz.mjs').InvalidRequest>} */ (invalidRequestArbitrary(spec, operation, reshaped)), async ({ request }) => {
              const sent = reshape.request(request);
              const found = contract.validator.checkRequest(asHttpRequest(operation, sent)).violations.filter((violation) => violation.location !== 'security');
              expect(found, 'the request the client sends is invalid').not.toEqual([]);
              const targets = found.map(placeOf);
              await refused(request, targets, String(targets[0]?.path[0] ?? driver.bodyNames?.[operationId] ?? 'body'));
            }),
            parameters,
          );
        });
      }
    }
  });
}

/** @typedef {{ location: string, path: string[] }} Target  a place in a request: a parameter, or a value of the body */

/** @param {unknown} value  as it travels in JSON (undefined members dropped) */
const asJson = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/**
 * Where a violation is, as a Target. This validator writes body fields as JSON pointers (`/0/email`) and a
 * parameter as its name; Prism writes dotted paths, under `request` in its `sl-violations` header
 * (`request` `body.0.email`, or `request` alone for a missing body) and without it in its 422
 * (`query` `customerid`), parameter names lower-cased.
 * @param {import('@techapi/openapi-validator').Violation} violation @returns {Target}
 */
function placeOf(violation) {
  if (violation.source !== 'prism') {
    if (violation.location !== 'body') return { location: violation.location, path: violation.field ? [violation.field] : [] };
    return { location: 'body', path: violation.field.split('/').slice(1) };
  }
  const parts = [violation.location, ...violation.field.split('.')].filter((part) => part !== '' && part !== 'request');
  if (parts.length === 0 && /^body\b/i.test(violation.message)) return { location: 'body', path: [] };
  return { location: parts[0] ?? 'request', path: parts.slice(1) };
}

/**
 * Whether a violation is about `target`: at it, under it, or (a missing required member, reported at its
 * parent) at its parent with the member's name in the message. Parameter names compare ignoring case, as
 * Prism matches them.
 * @param {import('@techapi/openapi-validator').Violation} violation @param {Target} target
 */
function names(violation, target) {
  const place = placeOf(violation);
  if (place.location !== target.location) return false;
  const fold = (/** @type {string} */ key) => (target.location === 'body' ? key : key.toLowerCase());
  const path = place.path.map(fold);
  const wanted = target.path.map(fold);
  const at = (/** @type {string[]} */ prefix) => prefix.every((key, index) => path[index] === key);
  if (path.length >= wanted.length && at(wanted)) return true;
  const member = wanted[wanted.length - 1];
  const message = target.location === 'body' ? violation.message : violation.message.toLowerCase();
  return member !== undefined && path.length === wanted.length - 1 && at(wanted.slice(0, -1)) && message.includes(`'${member}'`);
}

/** @param {Target[]} targets */
function describeTargets(targets) {
  return targets.map((target) => `${target.location}${target.path.length > 0 ? ` ${target.path.join('.')}` : ''}`).join(' or ');
}

/** The value at `pointer` under `value`, undefined where there is none. @param {unknown} value @param {(string | number)[]} pointer */
function valueAt(value, pointer) {
  return pointer.reduce((/** @type {any} */ at, key) => (at !== null && typeof at === 'object' ? at[key] : undefined), value);
}

/**
 * The mutated value as the request generated it, in the form it takes on the wire (JSON, or URL text).
 * @param {import('./scenarios.mjs').SpecRequest} request @param {import('./fuzz.mjs').Mutation} mutation
 */
function generatedValue(request, mutation) {
  if (mutation.where === 'body') return asJson(valueAt(request.body, mutation.pointer));
  const value = request[mutation.where][String(mutation.pointer[0])];
  return value === undefined ? undefined : String(value);
}

/**
 * The mutated value read back from what was sent: the body's JSON, the query string, or the path segment
 * the template puts the parameter in.
 * @param {import('@techapi/openapi-validator').SpecOperation} operation @param {import('./contract.mjs').Exchange} exchange
 * @param {import('./fuzz.mjs').Mutation} mutation
 */
function sentValue(operation, exchange, mutation) {
  if (mutation.where === 'body') return asJson(valueAt(exchange.requestBody === undefined ? undefined : JSON.parse(exchange.requestBody), mutation.pointer));
  const url = new URL(exchange.url);
  const name = String(mutation.pointer[0]);
  if (mutation.where === 'query') return url.searchParams.get(name) ?? undefined;
  const template = operation.path.split('/');
  const segment = url.pathname.split('/').slice(-template.length)[template.indexOf(`{${name}}`)];
  return segment === undefined ? undefined : decodeURIComponent(segment);
}
