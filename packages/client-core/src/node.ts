// Node-only parts of the runtime, kept out of the portable entry.
export { nodeDefaultTransport, undiciTransport, type UndiciTransportOptions } from './undici-transport.js';
