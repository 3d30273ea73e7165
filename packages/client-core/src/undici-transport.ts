import { Buffer } from 'node:buffer';
import { DEFAULT_MAX_BODY_BYTES, ResponseBodyError, describeCause, tooLarge } from './body.js';
import { WireRequestClass, type Transport, type WireRequest } from './transport.js';

type Undici = typeof import('undici');
interface Loaded {
  request: Undici['request'];
  dispatcher: InstanceType<Undici['Agent']>;
}
/** undici's `request()` and an Agent of its own, loaded on the first call (then read without an await). */
let loaded: Loaded | undefined;
let loading: Promise<Loaded> | undefined;

/**
 * The dispatcher is the npm package's own Agent, never the global one: whichever undici loads first (Node's
 * bundled copy does, as soon as anything touches Headers or fetch) installs the global dispatcher, and
 * this transport should not depend on which one that was.
 */
function loadUndici(): Promise<Loaded> {
  loading ??= import('undici').then(({ request, Agent }) => (loaded = { request, dispatcher: new Agent() }));
  return loading;
}

/** Statuses whose response has no body, whatever its headers say. */
const NO_BODY = new Set([101, 204, 205, 304]);

/**
 * A Node transport on undici's `request()`: it sends a GET with a body (which WHATWG fetch refuses) and
 * costs less per call than global fetch. undici is imported on first use only: importing it replaces
 * the global dispatcher that Node's own fetch uses, which no one who never sends through it should pay.
 * Bodies are read here, stopping past the client's `maxBodyBytes`.
 */
export function undiciTransport(): Transport {
  return {
    Request: WireRequestClass,
    abortController: () => new LightAbortController() as unknown as AbortController,
    async fetch(request, options) {
      const maxBytes = options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      const wire = request as unknown as WireRequest;
      const { request: send, dispatcher } = loaded ?? (await loadUndici());
      const { statusCode: status, headers: raw, body } = await send(wire.url, {
        method: wire.method as 'GET',
        headers: wire.headers, // undici takes any iterable of pairs
        body: wire.body,
        signal: wire.signal,
        dispatcher,
      });
      const headers = new Headers();
      for (const name in raw) {
        const value = raw[name];
        if (typeof value === 'string') headers.append(name, value);
        else if (value) for (const item of value) headers.append(name, item);
      }
      const response = (bytes?: Uint8Array<ArrayBuffer>) => new BufferedResponse(bytes, { status, headers });
      if (wire.method === 'HEAD' || NO_BODY.has(status)) {
        await body.dump();
        return response();
      }
      const length = raw['content-length'];
      if (Number(length) > maxBytes) {
        body.destroy();
        throw tooLarge(response(), maxBytes, String(length));
      }
      try {
        // A declared length bounds the read already: undici's own reader is the fastest.
        if (length !== undefined) return response(new Uint8Array(await body.arrayBuffer()));
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of body) {
          if ((size += chunk.length) > maxBytes) throw tooLarge(response(), maxBytes);
          chunks.push(chunk);
        }
        return response(new Uint8Array(Buffer.concat(chunks, size)));
      } catch (cause) {
        body.destroy();
        // An abort is the caller's or the timeout's, not the body's fault: let the client classify it.
        if (cause instanceof ResponseBodyError || wire.signal?.aborted) throw cause;
        throw new ResponseBodyError(`The response body could not be read in full: ${describeCause(cause)}`, response());
      }
    },
  };
}

const decoder = new TextDecoder();

/**
 * A Response whose body is already in memory, read and bounded by the transport. A WHATWG Response wraps
 * any body in a web stream, which on undici's fast path costs about as much as the HTTP exchange itself;
 * this one serves the reading methods from the bytes, once, as a Response would. Its `body` is null.
 */
class BufferedResponse extends Response {
  #bytes: Uint8Array<ArrayBuffer> | undefined;
  #used = false;

  constructor(bytes: Uint8Array<ArrayBuffer> | undefined, init: ResponseInit) {
    super(null, init);
    this.#bytes = bytes;
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
    return JSON.parse(await this.text());
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
    return new BufferedResponse(this.#bytes, { status: this.status, statusText: this.statusText, headers: new Headers(this.headers) });
  }

  #take(): Uint8Array<ArrayBuffer> {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#bytes ?? new Uint8Array();
  }
}

/**
 * An abort signal with only what undici's `request()` reads (`aborted`, `reason`, `addEventListener`,
 * `removeEventListener`). A Node AbortSignal is an EventTarget made transferable, which on Node 20 costs a
 * tenth of a fast undici call; this costs next to nothing. Node-only: fetch and browsers need the real one.
 */
class LightSignal {
  aborted = false;
  reason: unknown;
  readonly listeners = new Set<(event: Event) => void>();

  addEventListener(_type: 'abort', listener: (event: Event) => void): void {
    if (!this.aborted) this.listeners.add(listener);
  }

  removeEventListener(_type: 'abort', listener: (event: Event) => void): void {
    this.listeners.delete(listener);
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }
}

class LightAbortController {
  readonly signal = new LightSignal();

  abort(reason: unknown = new DOMException('This operation was aborted', 'AbortError')): void {
    const signal = this.signal;
    if (signal.aborted) return;
    signal.aborted = true;
    signal.reason = reason;
    const event = { type: 'abort', target: signal } as unknown as Event;
    for (const listener of signal.listeners) listener.call(signal, event);
    signal.listeners.clear();
  }
}
