// @techapi/sandbox/msw: the sandbox as MSW request handlers, for `setupServer` (Node) and `setupWorker`
// (browsers). The same engines as the node:http servers (core.ts): the same stores, rules, clock, rate limit,
// faults and spec checks, and the same control from code. Nothing here imports node:, so it bundles for a
// browser; msw (2 or 3) is the user's, an optional peer dependency.
import { http, HttpResponse, type HttpHandler } from 'msw';
import { createSandboxCore, type ApiName, type CoreOptions, type SandboxControl } from './core.js';
import type { ApiEngine, Outcome } from './engine.js';
import { SPECS } from './specs.js';

export { API_NAMES, type ApiName, type SandboxControl, type SandboxState, type SeedData } from './core.js';

export interface SandboxHandlersOptions extends CoreOptions {
  /**
   * Where each API's handlers answer: its base URL, absolute, or a path on the page's origin in a browser
   * (e.g. `/rest`). Default: the spec's production server (`https://api.us0.swi-rc.com/rest`,
   * `https://v3.oceansystem.com/ocean`), the URL an integrator's code calls.
   */
  urls?: Partial<Record<ApiName, string>>;
}

export interface SandboxHandlers extends SandboxControl {
  /** One handler per served API: spread them into `setupServer(...)` or `setupWorker(...)`. */
  readonly handlers: HttpHandler[];
  /** Each served API's base URL, where its handler answers. */
  readonly urls: Partial<Record<ApiName, string>>;
}

/** The sandbox as MSW handlers: `setupServer(...sandbox.handlers)`, then `sandbox.state()`, `reset()`, `seed()`, `advanceClock()`. */
export function createSandboxHandlers(options: SandboxHandlersOptions = {}): SandboxHandlers {
  const core = createSandboxCore(options);
  const given = options.urls ?? {};
  for (const api of Object.keys(given)) {
    if (!core.engines.has(api as ApiName)) throw new TypeError(`urls: the sandbox does not serve "${api}" (it serves ${[...core.engines.keys()].join(', ')})`);
  }
  const urls: Partial<Record<ApiName, string>> = {};
  const handlers: HttpHandler[] = [];
  for (const [api, engine] of core.engines) {
    const base = (given[api] ?? productionUrl(api)).replace(/\/+$/, '');
    urls[api] = base;
    handlers.push(handlerFor(engine, base));
  }
  return { ...core.control, handlers, urls };
}

/** The spec's first server, its variables at their defaults. */
export function productionUrl(api: ApiName): string {
  const [server] = (SPECS[api].servers ?? []) as { url: string; variables?: Record<string, { default: string }> }[];
  if (!server) throw new Error(`the ${api} spec names no server`);
  return server.url.replace(/\{([^}]+)\}/g, (_, name: string) => server.variables?.[name]?.default ?? '');
}

/** One API's engine answering every request under `base`: the path after `base` is the API's own. */
function handlerFor(engine: ApiEngine, base: string): HttpHandler {
  const basePath = new URL(base, 'http://relative.invalid').pathname.replace(/\/+$/, '');
  return http.all(`${base}/*`, async ({ request }) => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const wire = { method: request.method, url: url.pathname.slice(basePath.length) + url.search, headers, body: await bodyOf(request) };
    const outcome = await new Promise<Outcome>((resolve) => engine.handle(wire, resolve));
    // The work is done, the answer lost: a network error, as a dropped connection is to a client.
    if (outcome === 'drop') return HttpResponse.error();
    return new HttpResponse(outcome.text === '' ? null : outcome.text, { status: outcome.status, headers: outcome.headers });
  });
}

const EMPTY = new Uint8Array(0);

/**
 * The request's body bytes. Fetch's `Request` holds none on a GET, so a GET with a body (technicien's
 * update, sent over node:http in Node) has its bytes only in the stream MSW's interceptor keeps beside the
 * request (what `getClientRequestBodyStream` of `@mswjs/interceptors/utils/node` returns). It is found by
 * its symbol's name rather than imported: the import would tie this module to node: and to one copy of
 * the interceptors, while msw 2 and 3 each bring their own.
 */
async function bodyOf(request: Request): Promise<Uint8Array> {
  if (request.body) return new Uint8Array(await request.arrayBuffer());
  const stream = rawBodyStream(request);
  if (!stream) return EMPTY;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
    chunks.push(bytes);
    size += bytes.length;
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

function rawBodyStream(request: Request): AsyncIterable<unknown> | undefined {
  const key = Object.getOwnPropertySymbols(request).find((symbol) => symbol.description === 'kRawRequestBodyStream');
  const stream: unknown = key && Reflect.get(request, key);
  return stream && typeof (stream as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' ? (stream as AsyncIterable<unknown>) : undefined;
}
