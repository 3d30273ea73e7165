import { Buffer } from 'node:buffer';
import { DEFAULT_MAX_BODY_BYTES, ResponseBodyError, describeCause, tooLarge } from './body.js';
import { TransportUnavailableError, WireRequestClass, type SendOptions, type Transport, type WireRequest } from './transport.js';

type Undici = typeof import('undici');
type Dispatcher = NonNullable<Parameters<Undici['request']>[1]>['dispatcher'];

/** undici's `request()`, loaded on the first call (then read without an await); undefined if it cannot load. */
let send: Undici['request'] | undefined;
let loading: Promise<Undici['request'] | undefined> | undefined;

function loadUndici(): Promise<Undici['request'] | undefined> {
  loading ??= import('undici').then(
    ({ request }) => (send = typeof request === 'function' ? request : undefined),
    () => undefined,
  );
  return loading;
}

export interface UndiciTransportOptions {
  /**
   * The undici dispatcher to send through. Default: the global dispatcher, the one Node's fetch uses too,
   * read on each call: an agent installed with undici's `setGlobalDispatcher` (a `ProxyAgent`, custom TLS,
   * a `MockAgent` in tests) and Node's proxy settings (`NODE_USE_ENV_PROXY`) apply to both alike.
   */
  dispatcher?: Dispatcher;
}

/** Statuses whose response has no body, whatever its headers say. */
const NO_BODY = new Set([101, 204, 205, 304]);

/**
 * The fast path in Node, chosen on purpose: undici's `request()` sends a GET with a body (which WHATWG
 * fetch refuses) and gives 2-5× global fetch's throughput at 32 in flight (`npm run bench`: the more a call
 * sends, the more fetch's body streams cost), through the
 * same global dispatcher as fetch unless given one, so a `MockAgent` set with `setGlobalDispatcher` sees it.
 * Interception-based mocks (MSW's `setupServer`, nock, a replaced `globalThis.fetch`) do NOT see it: a
 * call goes to the real host, unreported.
 * undici is imported on first use. Bodies are read here, stopping past the client's `maxBodyBytes`.
 * Timeouts are undici's own (the wait for the response headers, then between body chunks), so a call sets
 * no timer of its own.
 */
export function undiciTransport({ dispatcher }: UndiciTransportOptions = {}): Transport {
  return {
    Request: WireRequestClass,
    timesOut: true,
    async fetch(request, options) {
      const request_ = send ?? (await loadUndici());
      if (!request_) throw new TransportUnavailableError('undici could not be loaded in this runtime: install it, or pass another transport');
      return sendOverUndici(request_, request as unknown as WireRequest, dispatcher, options);
    },
  };
}

async function sendOverUndici(
  send: Undici['request'],
  wire: WireRequest,
  dispatcher: Dispatcher | undefined,
  { maxBodyBytes = DEFAULT_MAX_BODY_BYTES, timeoutMs }: SendOptions = {},
): Promise<Response> {
  try {
    const { statusCode: status, headers: raw, body } = await send(wire.url, {
      method: wire.method as 'GET',
      headers: flatHeaders(wire.headers),
      body: wire.body,
      signal: wire.signal,
      ...(dispatcher && { dispatcher }),
      ...(timeoutMs !== undefined && { headersTimeout: timeoutMs, bodyTimeout: timeoutMs }),
    });
    // The headers go straight into the response's own list: a Headers passed to the constructor is copied.
    const response = new BufferedResponse(status);
    for (const name in raw) {
      const value = raw[name];
      if (typeof value === 'string') response.headers.append(name, value);
      else if (value) for (const item of value) response.headers.append(name, item);
    }
    if (wire.method === 'HEAD' || NO_BODY.has(status)) {
      await body.dump();
      return response;
    }
    const length = raw['content-length'];
    if (Number(length) > maxBodyBytes) {
      discard(body);
      throw tooLarge(response, maxBodyBytes, String(length));
    }
    try {
      // A declared length bounds the read already: undici's own reader is the fastest.
      if (length !== undefined) return response.holding(new Uint8Array(await body.arrayBuffer()));
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of body) {
        if ((size += chunk.length) > maxBodyBytes) throw tooLarge(response, maxBodyBytes);
        chunks.push(chunk);
      }
      return response.holding(new Uint8Array(Buffer.concat(chunks, size)));
    } catch (cause) {
      discard(body);
      // A timeout or an abort is not the body's fault: let the client classify it.
      if (cause instanceof ResponseBodyError || wire.signal?.aborted || isTimeout(cause)) throw cause;
      throw new ResponseBodyError(`The response body could not be read in full: ${describeCause(cause)}`, response);
    }
  } catch (cause) {
    throw isTimeout(cause) ? new DOMException(`The call timed out after ${timeoutMs} ms`, 'TimeoutError') : cause;
  }
}

/**
 * Stops reading a body and closes its connection. undici's body stream, destroyed before its end, emits an
 * `error` (an AbortError): with no listener that is an uncaught exception, which would end the caller's process.
 */
function discard(body: { on(event: 'error', listener: () => void): unknown; destroy(): unknown }): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Headers as undici's flat `[name, value, ...]` list: cheaper for it than iterating a Headers. */
function flatHeaders(headers: Headers | undefined): string[] {
  const flat: string[] = [];
  headers?.forEach((value, name) => flat.push(name, value));
  return flat;
}

/** undici's own timeouts: no headers in time, or a body that stopped coming. */
function isTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

const decoder = new TextDecoder();

/**
 * (Declared at load, this class loads Node's own undici, which installs the global dispatcher that fetch
 * and `request()` share, `Symbol.for('undici.globalDispatcher.1')`, before the npm copy is imported: the
 * npm copy would install its own when it finds none, and Node's fetch would then use that one.)
 *
 * A Response whose body is already in memory, read and bounded by the transport. A WHATWG Response wraps
 * any body in a web stream, which on undici's fast path costs about as much as the HTTP exchange itself;
 * this one serves the reading methods from the bytes, once, as a Response would. Its `body` is null.
 */
class BufferedResponse extends Response {
  #bytes: Uint8Array<ArrayBuffer> | undefined;
  #used = false;

  constructor(status: number, statusText?: string) {
    super(null, { status, statusText });
  }

  /** Sets the body, once read. */
  holding(bytes: Uint8Array<ArrayBuffer>): this {
    this.#bytes = bytes;
    return this;
  }

  override get body(): null {
    return null;
  }

  override get bodyUsed(): boolean {
    return this.#used;
  }

  override async text(): Promise<string> {
    return decoder.decode(this.#take());
  }

  override async json(): Promise<unknown> {
    return JSON.parse(decoder.decode(this.#take()));
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return this.#take().slice().buffer;
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#take().slice();
  }

  override async blob(): Promise<Blob> {
    return new Blob([this.#take()], { type: this.headers.get('content-type') ?? '' });
  }

  override clone(): BufferedResponse {
    if (this.#used) throw new TypeError('Response.clone: Body has already been consumed.');
    const copy = new BufferedResponse(this.status, this.statusText);
    if (this.#bytes) copy.holding(this.#bytes);
    this.headers.forEach((value, name) => copy.headers.append(name, value));
    return copy;
  }

  #take(): Uint8Array<ArrayBuffer> {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#bytes ?? new Uint8Array();
  }
}
