// Where undici cannot be loaded (a runtime that resolves `node` without it): the module is made unloadable
// for this file alone, as the environment, not the code under test. The default transport then falls back
// to global fetch, with the timeout it promises as an AbortSignal; undiciTransport() says it cannot send.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalServer, type LocalServer } from '../../../tools/testing/local-server.mjs';
import { TransportUnavailableError, WireRequest } from './transport.js';
import { nodeDefaultTransport, undiciTransport } from './undici-transport.js';

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

  it('nodeDefaultTransport() sends through global fetch, with and without a timeout', async () => {
    modes.length = 0;
    const transport = nodeDefaultTransport();
    expect(await (await transport.fetch(wire('/echo', { method: 'PUT', body: 'a' }))).text()).toBe('PUT a');
    expect(await (await transport.fetch(wire('/echo', { method: 'PUT', body: 'b' }), { timeoutMs: 5_000 })).text()).toBe('PUT b');
    expect(modes).toEqual(['cors', 'cors']);
  });

  it("nodeDefaultTransport()'s timeout ends a call as a TimeoutError, and the caller's own signal still counts", async () => {
    const transport = nodeDefaultTransport();
    await expect(transport.fetch(wire('/hang', { method: 'GET' }), { timeoutMs: 30 })).rejects.toMatchObject({ name: 'TimeoutError' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('the caller gave up')), 30);
    await expect(transport.fetch(wire('/hang', { method: 'GET', signal: controller.signal }), { timeoutMs: 60_000 })).rejects.toThrow('the caller gave up');
  });
});
