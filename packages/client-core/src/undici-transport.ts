import { WireRequest, WireRequestClass, type Transport } from './transport.js';

type Undici = typeof import('undici');
let undici: Promise<Undici> | undefined;

/**
 * A Node transport on undici's `request()`: it sends a GET with a body (which WHATWG fetch refuses) and
 * costs less per call than global fetch. undici is imported on first use only: importing it replaces
 * the global dispatcher that Node's own fetch uses, which no one who never sends through it should pay.
 */
export function undiciTransport(): Transport {
  return {
    Request: WireRequestClass,
    async fetch(request) {
      const wire = request as unknown as WireRequest;
      undici ??= import('undici');
      const { request: send } = await undici;
      const response = await send(wire.url, {
        method: wire.method as 'GET',
        headers: Object.fromEntries(wire.headers),
        body: wire.body,
        signal: wire.signal,
      });
      const headers = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
      }
      const bodyless = wire.method === 'HEAD' || [101, 204, 205, 304].includes(response.statusCode);
      const body = bodyless ? null : await response.body.arrayBuffer();
      if (bodyless) await response.body.dump();
      return new Response(body, { status: response.statusCode, headers });
    },
  };
}
