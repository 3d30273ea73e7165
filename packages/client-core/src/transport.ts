/**
 * How a client puts requests on the wire. openapi-fetch builds each request with `Request` and sends it
 * with `fetch`; a transport supplies both, so that a request WHATWG fetch refuses (a GET with a body) can
 * still be built and sent by something that allows it.
 */
export interface Transport {
  /** The class openapi-fetch builds requests with. */
  Request: typeof Request;
  /** Sends a request built with `Request`. */
  fetch: (request: Request) => Promise<Response>;
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
    this.headers = new Headers(init.headers ?? base?.headers);
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
