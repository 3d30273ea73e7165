// The Node entry: the same client, sending over undici's `request()` (faster than global fetch, and able to
// send updateTechnicien's GET with a body) through the global dispatcher that fetch uses too, unless given
// `transport` or `fetch`. Where undici cannot be loaded, the other calls go over global fetch.
import { nodeDefaultTransport, undiciTransport } from '@techapi/client-core/node';
import { createTechnicienClient as createPortableClient, type TechnicienClientOptions } from './client.js';

export * from './index.js';
export { fetchTransport } from '@techapi/client-core';
export { undiciTransport };
export type { UndiciTransportOptions } from '@techapi/client-core/node';

export function createTechnicienClient(options: TechnicienClientOptions) {
  return createPortableClient({
    ...options,
    getWithBodyTransport: options.getWithBodyTransport ?? undiciTransport(),
    ...(!options.transport && !options.fetch && { transport: nodeDefaultTransport() }),
  });
}
