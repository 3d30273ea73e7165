// The Node entry: the same client, with updateTechnicien's GET-with-body sent over undici's request()
// unless the caller passes another transport.
import { undiciTransport } from '@techapi/client-core/node';
import { createTechnicienClient as createPortableClient, type TechnicienClientOptions } from './client.js';

export * from './index.js';
export { undiciTransport };

export function createTechnicienClient(options: TechnicienClientOptions) {
  return createPortableClient({ getWithBodyTransport: undiciTransport(), ...options });
}
