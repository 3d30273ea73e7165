import { Buffer } from 'node:buffer';
import { DEFAULT_MAX_BODY_BYTES, ResponseBodyError, declaredLength, describeCause, tooLarge } from './body.js';
import { BufferedResponse } from './buffered-response.js';
import { lightAbortController } from './light-abort.js';
import { WireRequest, WireRequestClass, type Transport } from './transport.js';

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

/**
 * A Node transport on undici's `request()`: it sends a GET with a body (which WHATWG fetch refuses) and
 * costs less per call than global fetch. undici is imported on first use only: importing it replaces
 * the global dispatcher that Node's own fetch uses, which no one who never sends through it should pay.
 * Bodies are read here, stopping past the client's `maxBodyBytes`.
 */
export function undiciTransport(): Transport {
  return {
    Request: WireRequestClass,
    abortController: lightAbortController,
    async fetch(request, options) {
      const maxBytes = options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      const wire = request as unknown as WireRequest;
      const { request: send, dispatcher } = loaded ?? (await loadUndici());
      const response = await send(wire.url, {
        method: wire.method as 'GET',
        headers: wire.headers, // undici takes any iterable of pairs
        body: wire.body,
        signal: wire.signal,
        dispatcher,
      });
      const status = response.statusCode;
      const headers = new Headers();
      for (const name in response.headers) {
        const value = response.headers[name];
        if (typeof value === 'string') headers.append(name, value);
        else if (value) for (const item of value) headers.append(name, item);
      }
      if (wire.method === 'HEAD' || [101, 204, 205, 304].includes(status)) {
        await response.body.dump();
        return new Response(null, { status, headers });
      }
      const stated = declaredLength(headers);
      if (stated !== undefined && stated > maxBytes) {
        response.body.destroy();
        throw tooLarge(new Response(null, { status, headers }), maxBytes, stated);
      }
      try {
        // A declared length within the limit bounds the read already: undici's own reader is the fastest.
        const bytes =
          stated !== undefined ? new Uint8Array(await response.body.arrayBuffer()) : await readCounting(response.body, maxBytes, status, headers);
        return new BufferedResponse(bytes, { status, headers });
      } catch (cause) {
        // An abort is the caller's or the timeout's, not the body's fault: let the client classify it.
        if (cause instanceof ResponseBodyError || wire.signal?.aborted) throw cause;
        throw new ResponseBodyError(`The response body could not be read in full: ${describeCause(cause)}`, new Response(null, { status, headers }));
      }
    },
  };
}

async function readCounting(
  body: AsyncIterable<Buffer> & { destroy(): void },
  maxBytes: number,
  status: number,
  headers: Headers,
): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw tooLarge(new Response(null, { status, headers }), maxBytes);
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks, size));
}
