// The Node entry: the same client as the portable one, on global fetch looked up at each call, so that the
// test doubles Node users already have see every call (MSW's setupServer, a replaced globalThis.fetch, an
// undici MockAgent set with setGlobalDispatcher). `transport: undiciTransport()` is the fast path, on purpose.
export * from './index.js';
export { fetchTransport } from '@techapi/client-core';
export { undiciTransport, type UndiciTransportOptions } from '@techapi/client-core/node';
