import { Buffer } from 'node:buffer';
import http from 'node:http';
import https from 'node:https';
import { DEFAULT_MAX_BODY_BYTES, ResponseBodyError, describeCause, tooLarge } from './body.js';
import { WireRequestClass, type SendOptions, type Transport, type WireRequest } from './transport.js';

/** Statuses whose response has no body, whatever its headers say. */
const NO_BODY = new Set([101, 204, 205, 304]);

/**
 * A Node transport on `node:http`/`node:https`, for what WHATWG fetch refuses to send: a GET with a body
 * (technicien's `updateTechnicien`). `request` is read from the module on each call, so the interceptors
 * that patch it (MSW's `setupServer`, nock) see the call and its body. Node's default agent (keep-alive
 * since Node 19) carries it; undici's global dispatcher does not, so an undici `MockAgent` does not see it.
 * The body is read here, bounded by the client's `maxBodyBytes`; the timeout is the client's own signal.
 */
export function nodeHttpTransport(): Transport {
  return {
    Request: WireRequestClass,
    fetch: (request, options) => sendOverNodeHttp(request as unknown as WireRequest, options),
  };
}

function sendOverNodeHttp(wire: WireRequest, { maxBodyBytes = DEFAULT_MAX_BODY_BYTES }: SendOptions = {}): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const url = new URL(wire.url);
    const headers: Record<string, string> = {};
    wire.headers?.forEach((value, name) => (headers[name] = value));
    const body = wire.body;
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const send = url.protocol === 'https:' ? https.request : http.request;
    const outgoing = send(url, { method: wire.method, headers, ...(wire.signal && { signal: wire.signal }) }, (incoming) => {
      const status = incoming.statusCode ?? 0;
      const responseHeaders = new Headers();
      const raw = incoming.rawHeaders;
      for (let index = 0; index + 1 < raw.length; index += 2) responseHeaders.append(raw[index] as string, raw[index + 1] as string);
      const answer = (bytes: Uint8Array | null) => new Response(bytes as BodyInit | null, { status, statusText: incoming.statusMessage, headers: responseHeaders });
      if (wire.method === 'HEAD' || NO_BODY.has(status)) {
        incoming.resume();
        return resolve(answer(null));
      }
      const length = incoming.headers['content-length'];
      if (Number(length) > maxBodyBytes) {
        incoming.destroy();
        return reject(tooLarge(answer(null), maxBodyBytes, length));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        if ((size += chunk.length) > maxBodyBytes) {
          incoming.destroy();
          reject(tooLarge(answer(null), maxBodyBytes));
        } else chunks.push(chunk);
      });
      incoming.on('end', () => resolve(answer(Buffer.concat(chunks, size))));
      incoming.on('error', (cause) => {
        // An abort is not the body's fault: let the client classify it.
        if (wire.signal?.aborted) reject(cause);
        else reject(new ResponseBodyError(`The response body could not be read in full: ${describeCause(cause)}`, answer(null)));
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
