// @ts-check
// The contract tests every API package runs against its mock, defined once over the spec and the API's
// driver: the scenarios `npm run verify` sends to a real server, and (fuzz.mjs) property-based inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mockUrl } from './mock-url.mjs';
import { FUZZ_RUNS, FUZZ_SEED, invalidRequestArbitrary, requestArbitrary } from './fuzz.mjs';
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
 * 2xx without a violation; requests broken in one known way get a typed error (an HTTP 4xx the
 * validator agrees with, or the client's own `invalid-input` refusal with nothing sent), never a throw
 * or a hang. Seeded: a failure prints the seed and the shrunk counterexample to replay.
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

      const invalid = invalidRequestArbitrary(spec, operation);
      if (!invalid) continue; // nothing in this operation's request can be broken: the next one may
      it(`${operationId}: invalid requests get a typed 4xx error or a typed refusal, never a throw`, { timeout: testTimeout }, async () => {
        await fc.assert(
          fc.asyncProperty(invalid, async ({ request }) => {
            const { result: outcome, exchanges, requestViolations } = await contract.invalid(() =>
              callOperation(driver, client, operationId, request, init),
            );
            expect(outcome.threw).toBeUndefined();
            const error = outcome.error;
            expect(error).toMatchObject({ operation: operationId, message: expect.any(String) });
            if (error?.kind === 'invalid-input') {
              // The client refused it before sending: nothing went out.
              expect(error.status).toBe(0);
              expect(exchanges).toEqual([]);
              return;
            }
            expect(error?.kind).toBe('http');
            expect(error?.status).toBeGreaterThanOrEqual(400);
            expect(error?.status).toBeLessThan(500);
            // The validator agrees with the mock that the request broke the contract.
            expect(requestViolations.length).toBeGreaterThan(0);
          }),
          parameters,
        );
      });
    }
  });
}
