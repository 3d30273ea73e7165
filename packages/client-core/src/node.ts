// Node-only parts of the runtime, kept out of the portable entry.
export { undiciTransport } from './undici-transport.js';
