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
   * True when the transport enforces `options.timeoutMs` itself, rejecting with an error named
   * `TimeoutError`: the client then sets no timer and no AbortController of its own per call.
   */
  timesOut?: boolean;
}

/**
 * Thrown by a transport that cannot send in this runtime (undici's, where undici cannot be loaded): the
 * call ends as `unsupported`, never retried.
 */
export class TransportUnavailableError extends Error {
  override name = 'TransportUnavailableError';
}

/** What a client tells its transport about each request. */
export interface SendOptions {
  /** The largest response body the client accepts, in bytes. */
  maxBodyBytes?: number;
  /** The attempt's timeout in ms, 0 for none: a transport that `timesOut` enforces it. */
  timeoutMs?: number;
}

/**
 * A request that only records what openapi-fetch built it with (the url, and an init holding `method`,
 * `headers`, `body`, `redirect` and `signal`). WHATWG `Request` refuses a body on GET and copies the body
 * into a stream that fetch then reads again; this one does neither: it is itself the init a sender needs.
 */
export class WireRequest {
  declare readonly method: string;
  declare readonly headers: Headers;
  declare readonly body: string | undefined;
  declare readonly signal: AbortSignal | undefined;

  constructor(
    readonly url: string,
    init: RequestInit,
  ) {
    Object.assign(this, init);
  }
}

/** The request as openapi-fetch's types see it: a `Request`. */
export const WireRequestClass = WireRequest as unknown as typeof Request;

/**
 * The portable default: global fetch, given the url and the {@link WireRequest} itself as its init, so that
 * no WHATWG `Request` is built and then read again (most of openapi-fetch's own per-call cost). fetch is
 * looked up on each call, so a fetch replaced later (a test double, a polyfill) is the one used.
 */
export const fetchTransport = (): Transport => ({
  Request: WireRequestClass,
  fetch: (request) => fetch(request.url, request),
});
