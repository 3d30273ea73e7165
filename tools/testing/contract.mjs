// @ts-check
// The one hook between a client and the wire for contract checking: a `fetch` (or a Transport) wrapper
// that records every exchange the client makes — the operation it is for, its status — and checks the
// request and the response against the bundled spec with the validator, independently of Prism. It
// also notes which of the vendor page's JSON examples travelled in the exchange. No test framework
// here: the vitest glue is vitest-contract.mjs, and `npm run verify` uses this directly.
import { createSpecValidator } from '@techapi/openapi-validator';
import { matchesSeed, seedJsonExamples } from './seed-examples.mjs';
import { loadSpec } from './spec.mjs';

/**
 * @typedef {import('@techapi/openapi-validator').Violation} Violation
 *
 * @typedef {object} Exchange
 * @property {string} operationId  `(none)` when no operation matches
 * @property {string} method
 * @property {string} url
 * @property {number} status       0 when no response came back
 * @property {Violation[]} violations  found by this validator, and reported by Prism (`source: 'prism'`)
 * @property {number[]} seeds      indexes of the vendor page's examples that this exchange carried
 * @property {string} [failure]    why no response came back
 * @property {boolean} [prismAnswered]  the response is Prism's own problem document, not the server's (or the mock's spec response)
 * @property {boolean} [invalidOnPurpose]  set by a test that sends a request breaking the contract on purpose
 *
 * @typedef {(request: Request, ...rest: any[]) => Promise<Response>} FetchFunction  a fetch, or a Transport's (extra arguments pass through)
 */

/** A request as the clients build it: a WHATWG Request, or client-core's WireRequest (string body). */
/** @param {Request} request */
async function readRequest(request) {
  const wire = /** @type {{ body: unknown }} */ (/** @type {unknown} */ (request));
  const body = typeof wire.body === 'string' ? wire.body : request.body ? await request.clone().text() : undefined;
  return { method: request.method, url: request.url, headers: new Headers(request.headers), body };
}

/**
 * Prism's own findings on an exchange: the `sl-violations` header (mock and proxy), and the problem
 * document it answers with when `--errors` turns a violation into an error (422 request, 500 response).
 * @param {string} operationId @param {Headers} headers @param {string} body @returns {Violation[]}
 */
export function prismViolations(operationId, headers, body) {
  /** @type {any[]} */
  let reported = [];
  try {
    reported = JSON.parse(headers.get('sl-violations') ?? '[]');
  } catch {
    reported = [{ location: [], message: `unreadable sl-violations header: ${headers.get('sl-violations')}` }];
  }
  if ((headers.get('content-type') ?? '').startsWith('application/problem+json')) {
    try {
      const problem = JSON.parse(body);
      if (String(problem.type).startsWith('https://stoplight.io/prism/errors#') && Array.isArray(problem.validation)) {
        reported = [...reported, ...problem.validation];
      }
    } catch {
      // not Prism's
    }
  }
  /** @type {Map<string, Violation>} */
  const unique = new Map();
  for (const item of reported) {
    const location = Array.isArray(item.location) ? item.location.map(String) : [];
    const isResponse = location[0] === 'response';
    const parts = isResponse ? location.slice(1) : location;
    /** @type {Violation} */
    const violation = {
      operationId,
      direction: isResponse ? 'response' : 'request',
      location: parts[0] ?? (isResponse ? 'status' : 'request'),
      field: parts.slice(1).join('.'),
      message: String(item.message ?? item.code ?? 'violation'),
      source: 'prism',
    };
    unique.set(JSON.stringify(violation), violation);
  }
  return [...unique.values()];
}

/**
 * The title and detail of Prism's own problem document, when the response is one.
 * @param {Headers} headers @param {string} body @returns {string | undefined}
 */
function prismProblem(headers, body) {
  if (!(headers.get('content-type') ?? '').startsWith('application/problem+json')) return undefined;
  try {
    const problem = JSON.parse(body);
    if (!String(problem.type).startsWith('https://stoplight.io/prism/errors#')) return undefined;
    return [problem.title, problem.detail].filter(Boolean).join(': ') || String(problem.type);
  } catch {
    return undefined;
  }
}

/**
 * @param {string} apiName
 */
export function createContract(apiName) {
  const spec = loadSpec(apiName);
  const validator = createSpecValidator(spec);
  const seeds = seedJsonExamples(apiName);
  /** @type {Exchange[]} */
  const exchanges = [];
  /** @type {((exchange: Exchange) => void)[]} */
  const listeners = [];

  /** @param {string | undefined} text @returns {unknown} */
  const parseJson = (text) => {
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };

  /** @param {unknown[]} values */
  const seedsIn = (values) =>
    seeds.flatMap((seed, index) => (values.some((value) => value !== undefined && matchesSeed(seed, value)) ? [index] : []));

  /**
   * Wraps a fetch function: the request is read and checked before it goes, the response after it comes.
   * @param {FetchFunction} send
   * @returns {FetchFunction}
   */
  function wrapFetch(send) {
    return async (request, ...rest) => {
      const requestData = await readRequest(request);
      const { operation, violations } = validator.checkRequest(requestData);
      const operationId = operation?.operationId ?? '(none)';
      /** @type {Exchange} */
      const exchange = { operationId, method: requestData.method, url: requestData.url, status: 0, violations, seeds: [] };
      let response;
      try {
        response = await send(request, ...rest);
      } catch (error) {
        exchange.failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        exchange.seeds = seedsIn([parseJson(requestData.body)]);
        record(exchange);
        throw error;
      }
      const body = await response.clone().text();
      exchange.status = response.status;
      const fromPrism = prismViolations(operationId, response.headers, body);
      exchange.violations.push(...fromPrism);
      const problem = prismProblem(response.headers, body);
      if (problem) {
        // Prism answered for the server (a refused request, or --errors hiding a bad response): there is
        // no server response to check, and Prism's answer must be explained by a finding.
        exchange.prismAnswered = true;
        if (exchange.violations.length === 0) {
          exchange.violations.push({ operationId, direction: 'response', location: 'status', field: String(response.status), message: `Prism answered instead of the server: ${problem}`, source: 'prism' });
        }
      } else if (operation) {
        exchange.violations.push(...validator.checkResponse(operation, { status: response.status, headers: response.headers, body }));
      }
      exchange.seeds = seedsIn([parseJson(requestData.body), parseJson(body)]);
      record(exchange);
      return response;
    };
  }

  /** @param {Exchange} exchange */
  function record(exchange) {
    exchanges.push(exchange);
    for (const listener of listeners) listener(exchange);
  }

  return {
    api: apiName,
    spec,
    validator,
    /** The vendor page's JSON examples, in the order `Exchange.seeds` indexes them. */
    seeds,
    /** Every exchange since the last `drain()`. */
    exchanges,
    /** The global fetch, recorded and checked: pass it as a client's `fetch` option. */
    fetch: wrapFetch((request) => fetch(request)),
    wrapFetch,
    /**
     * A Transport (client-core) whose sends are recorded and checked, e.g. for technicien's GET with a body.
     * @template {{ Request: typeof Request, fetch: FetchFunction }} T @param {T} transport @returns {T}
     */
    wrapTransport: (transport) => ({ ...transport, fetch: wrapFetch(transport.fetch) }),
    /** Takes every exchange recorded so far. */
    drain: () => exchanges.splice(0),
    /** @param {(exchange: Exchange) => void} listener  called for each exchange as it is recorded */
    onExchange: (listener) => {
      listeners.push(listener);
    },
  };
}

/** @typedef {ReturnType<typeof createContract>} Contract */
