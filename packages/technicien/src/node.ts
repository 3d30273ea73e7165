// The Node entry: the portable client (global fetch looked up at each call, seen by MSW's setupServer, a
// replaced globalThis.fetch and an undici MockAgent), plus what fetch refuses: updateTechnicien's GET with a
// body goes over node:http/https, where MSW's and nock's interceptors see it. `transport: undiciTransport()`
// (and `getWithBodyTransport: undiciTransport()`) is the fast path, on purpose.
import { nodeHttpTransport } from '@techapi/client-core/node';
import { createTechnicienClient as createPortableClient, type TechnicienClientOptions } from './client.js';

export * from './index.js';
export { fetchTransport } from '@techapi/client-core';
export { nodeHttpTransport, undiciTransport, type UndiciTransportOptions } from '@techapi/client-core/node';

export function createTechnicienClient(options: TechnicienClientOptions) {
  return createPortableClient({ ...options, getWithBodyTransport: options.getWithBodyTransport ?? nodeHttpTransport() });
}
