// Node-only parts of the runtime, kept out of the portable entry.
export { nodeHttpTransport } from './node-http-transport.js';
export { undiciTransport, type UndiciTransportOptions } from './undici-transport.js';
