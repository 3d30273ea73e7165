// Where undici cannot be loaded (a runtime that resolves `node` without it): the module is made unloadable
// for this file alone, as the environment, not the code under test. undiciTransport(), the opt-in fast path, says it
// cannot send (the Node default is global fetch, which needs no undici).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalServer, type LocalServer } from '../../../tools/testing/local-server.mjs';
import { TransportUnavailableError, WireRequest } from './transport.js';
import { undiciTransport } from './undici-transport.js';

vi.mock('undici', () => {
  throw new Error('no undici in this runtime');
});

let server: LocalServer;
const modes: (string | undefined)[] = [];
beforeAll(async () => {
  server = await startLocalServer((request, response) => {
    modes.push(request.headers['sec-fetch-mode'] as string | undefined);
    if (request.url.pathname === '/hang') return;
    response.writeHead(200).end(`${request.method} ${request.body}`);
  });
});
afterAll(() => server.close());

const wire = (path: string, init: RequestInit) => new WireRequest(`${server.url}${path}`, init) as unknown as Request;

describe('without undici', () => {
  it('undiciTransport() refuses to send, with a TransportUnavailableError', async () => {
    await expect(undiciTransport().fetch(wire('/echo', { method: 'GET' }))).rejects.toThrow(TransportUnavailableError);
    await expect(undiciTransport().fetch(wire('/echo', { method: 'GET' }))).rejects.toMatchObject({ name: 'TransportUnavailableError' });
    await expect(undiciTransport().fetch(wire('/echo', { method: 'GET' }))).rejects.toThrow('undici could not be loaded in this runtime: install it, or pass another transport');
  });
});
