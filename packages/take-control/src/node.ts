// The Node entry: the same client, sending over undici's `request()` (faster than global fetch) through
// the global dispatcher that fetch uses too, unless given `transport` or `fetch`. Where undici cannot be
// loaded, it sends over global fetch.
import { nodeDefaultTransport, undiciTransport } from '@techapi/client-core/node';
import { createTakeControlClient as createPortableClient, type TakeControlClientOptions } from './client.js';

export * from './index.js';
export { fetchTransport } from '@techapi/client-core';
export { undiciTransport };
export type { UndiciTransportOptions } from '@techapi/client-core/node';

export function createTakeControlClient(options: TakeControlClientOptions) {
  return createPortableClient(options.transport || options.fetch ? options : { ...options, transport: nodeDefaultTransport() });
}
