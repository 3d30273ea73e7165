// The Node entry: everything the portable entry has, plus undici's transport, faster than global fetch
// (`createTakeControlClient({ ..., transport: undiciTransport() })`). undici loads on its first call.
export * from './index.js';
export { undiciTransport } from '@techapi/client-core/node';
