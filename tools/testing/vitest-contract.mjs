// @ts-check
// Contract checking for a vitest test file, set up in one place: `useContract(api)` gives the recorded,
// checked `fetch` (and transport wrapper) to pass to the client, and registers an afterEach hook that
//   - fails the test whose exchanges broke the contract (request or response), naming operation and field;
//   - hands the test's exchanges, summarised, to the coverage reporter through the test's meta
//     (vitest's own worker-to-reporter channel: no files, nothing shared between parallel runs).
// A test that breaks the contract on purpose says so with `contract.invalid(() => ...)`.
import { afterEach } from 'vitest';
import { createContract } from './contract.mjs';
import { formatViolation } from '@techapi/openapi-validator';

/**
 * @typedef {import('./contract.mjs').Exchange} Exchange
 * @typedef {import('@techapi/openapi-validator').Violation} Violation
 *
 * @typedef {object} ContractMeta  what a test's meta carries (`meta.contracts`, one per recorder that saw an
 *   exchange) for tools/vitest/contract-coverage-reporter.mjs
 * @property {string} api
 * @property {Record<string, number>} pairs  `<operationId> <status>` → how many exchanges
 * @property {number[]} seeds  indexes of the vendor page's examples replayed
 */

/**
 * @param {string} apiName
 */
export function useContract(apiName) {
  const contract = createContract(apiName);
  let onPurpose = 0;
  contract.onExchange((exchange) => {
    if (onPurpose > 0) exchange.invalidOnPurpose = true;
  });

  afterEach((context) => {
    const exchanges = contract.drain();
    if (exchanges.length > 0) {
      // A list: a file may hold several recorders, each with this hook.
      const meta = /** @type {{ contracts?: ContractMeta[] }} */ (context.task.meta);
      (meta.contracts ??= []).push(summarize(apiName, exchanges));
    }
    const broken = exchanges.filter((exchange) => !exchange.invalidOnPurpose && exchange.violations.length > 0);
    if (broken.length > 0) {
      const lines = broken.flatMap((exchange) => [
        `${exchange.method} ${exchange.url} → ${exchange.status || exchange.failure}`,
        ...exchange.violations.map((violation) => `  ${formatViolation(violation)}`),
      ]);
      throw new Error(`The contract (dist/specs/${apiName}.json) was broken by this test's exchanges:\n${lines.join('\n')}`);
    }
  });

  return {
    ...contract,
    /**
     * Runs `send`, whose request breaks the contract on purpose: its exchanges do not fail the test, and
     * what this validator found in the requests is returned for the test to assert on.
     * @template T @param {() => Promise<T>} send
     * @returns {Promise<{ result: T, exchanges: Exchange[], requestViolations: Violation[] }>}
     */
    async invalid(send) {
      const before = contract.exchanges.length;
      onPurpose++;
      let result;
      try {
        result = await send();
      } finally {
        onPurpose--;
      }
      const exchanges = contract.exchanges.slice(before);
      const requestViolations = exchanges.flatMap((exchange) =>
        exchange.violations.filter((violation) => violation.direction === 'request' && violation.source !== 'prism'),
      );
      return { result, exchanges, requestViolations };
    },
  };
}

/** @param {string} api @param {Exchange[]} exchanges @returns {ContractMeta} */
function summarize(api, exchanges) {
  /** @type {Record<string, number>} */
  const pairs = {};
  /** @type {Set<number>} */
  const seeds = new Set();
  for (const exchange of exchanges) {
    exchange.seeds.forEach((seed) => seeds.add(seed));
    // Prism's own answers (its 401, 422, 404) are not the spec's responses: they exercise nothing documented.
    if (exchange.status === 0 || exchange.prismAnswered || exchange.operationId === '(none)') continue;
    const key = `${exchange.operationId} ${exchange.status}`;
    pairs[key] = (pairs[key] ?? 0) + 1;
  }
  return { api, pairs, seeds: [...seeds] };
}
