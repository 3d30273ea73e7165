/**
 * How a client puts requests on the wire. openapi-fetch builds each request with `Request` and sends it
 * with `fetch`; a transport supplies both, so that a request WHATWG fetch refuses (a GET with a body) can
 * still be built and sent by something that allows it.
 */
export interface Transport {
  /** The class openapi-fetch builds requests with. */
  Request: typeof Request;
  /**
   * Sends a request built with `Request`. A transport that buffers bodies itself should stop reading
   * past `options.maxBodyBytes` (throwing a `ResponseBodyError`); the client bounds what it reads anyway.
   */
  fetch: (request: Request, options?: SendOptions) => Promise<Response>;
  /**
   * Makes the controller that cancels a request (its timeout, the caller's signal); default
   * `new AbortController()`. A transport whose sender needs only `aborted`, `reason` and
   * `add`/`removeEventListener` can supply a lighter one: on Node 20 an AbortController costs a tenth of
   * an undici call.
   */
  abortController?: () => AbortController;
}

/** What a client tells its transport about each request. */
export interface SendOptions {
  /** The largest response body the client accepts, in bytes. */
  maxBodyBytes?: number;
}

/**
 * A request that only records what it was built with. WHATWG `Request` refuses a body on GET and copies
 * the body into a stream that fetch then reads again; this one does neither, and its sender reads
 * `url`, `method`, `headers`, `body` and `signal` directly.
 */
export class WireRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | undefined;
  readonly signal: AbortSignal | undefined;
  readonly redirect: RequestRedirect;

  constructor(input: string | URL | WireRequest, init: RequestInit = {}) {
    const base = input instanceof WireRequest ? input : undefined;
    this.url = base ? base.url : String(input);
    this.method = (init.method ?? base?.method ?? 'GET').toUpperCase();
    // openapi-fetch hands over a Headers of its own for each request: keep it rather than copy it.
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers ?? base?.headers);
    const body = init.body ?? base?.body;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      throw new TypeError('WireRequest carries string bodies only (the clients send JSON)');
    }
    this.body = body ?? undefined;
    this.signal = init.signal ?? base?.signal ?? undefined;
    this.redirect = init.redirect ?? base?.redirect ?? 'follow';
  }

  clone(): WireRequest {
    return new WireRequest(this);
  }
}

/** The request as openapi-fetch's types see it: a `Request`. */
export const WireRequestClass = WireRequest as unknown as typeof Request;

/**
 * The portable default: global fetch, called with the url and init a {@link WireRequest} recorded, so that
 * no WHATWG `Request` is built and then read again (most of openapi-fetch's own per-call cost). fetch is
 * looked up on each call, so a fetch replaced later (a test double, a polyfill) is the one used.
 */
export function fetchTransport(): Transport {
  return {
    Request: WireRequestClass,
    fetch(request) {
      const wire = request as unknown as WireRequest;
      return globalThis.fetch(wire.url, {
        method: wire.method,
        headers: wire.headers,
        body: wire.body,
        signal: wire.signal,
        redirect: wire.redirect,
      });
    },
  };
}
