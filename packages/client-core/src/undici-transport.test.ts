// undici's transport on its own, against a real server on 127.0.0.1: what its buffered Response gives back
// (each reading method, once), statuses without a body, repeated headers, the body limit to the byte, and
// the dispatcher it is given.
import { MockAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../../tools/testing/local-server.mjs';
import { WireRequest } from './transport.js';
import { undiciTransport } from './undici-transport.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer((request, response) => {
    switch (request.url.pathname) {
      case '/text':
        return void response.writeHead(200, { 'content-type': 'text/plain;charset=utf-8', 'x-multi': ['a', 'b'] }).end('héllo');
      case '/json':
        return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      case '/no-content':
        return void response.writeHead(204).end();
      case '/ten-declared':
        return void response.writeHead(200, { 'content-length': '10' }).end('0123456789');
      case '/ten-chunked': // no content-length: the transport counts as it reads
        response.writeHead(200);
        response.write('01234');
        return void response.end('56789');
      case '/hang':
        return;
      case '/header':
        return void response.writeHead(200).end(String(request.headers['x-trace']));
      default:
        return void response.writeHead(200).end(`${request.method} ${request.body}`);
    }
  });
});
afterAll(() => server.close());

const get = (path: string, init: Partial<RequestInit> = {}) => new WireRequest(`${server.url}${path}`, { method: 'GET', headers: new Headers(), ...init }) as unknown as Request;

describe('the undici transport', () => {
  it('enforces timeouts itself', () => {
    expect(undiciTransport().timesOut).toBe(true);
  });

  it('a buffered response serves each reading method from its bytes, once', async () => {
    const transport = undiciTransport();
    const read = async <T>(method: (response: Response) => Promise<T>) => method(await transport.fetch(get('/text')));
    expect(await read((response) => response.text())).toBe('héllo');
    expect(new TextDecoder().decode(await read((response) => response.arrayBuffer()))).toBe('héllo');
    expect(new TextDecoder().decode(await read((response) => response.bytes()))).toBe('héllo');
    const blob = await read((response) => response.blob());
    expect([blob.type, await blob.text()]).toEqual(['text/plain;charset=utf-8', 'héllo']);
    expect(await (await transport.fetch(get('/json'))).json()).toEqual({ ok: true });

    const response = await transport.fetch(get('/text'));
    expect(response.body).toBeNull();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-multi')).toBe('a, b');
    const copy = response.clone();
    expect(response.bodyUsed).toBe(false);
    expect(await response.text()).toBe('héllo');
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow('Body is unusable: Body has already been read');
    expect(() => response.clone()).toThrow('Response.clone: Body has already been consumed.');
    expect([copy.status, copy.headers.get('x-multi'), await copy.text()]).toEqual([200, 'a, b', 'héllo']);
  });

  it('sends the request headers; a body without a content type gives an untyped blob', async () => {
    const transport = undiciTransport();
    expect(await (await transport.fetch(get('/header', { headers: new Headers({ 'X-Trace': 't-7' }) }))).text()).toBe('t-7');
    expect((await (await transport.fetch(get('/ten-declared'))).blob()).type).toBe('');
  });

  it('each read hands out its own copy of the bytes: writing into one changes no clone', async () => {
    const response = await undiciTransport().fetch(get('/ten-declared'));
    const first = response.clone();
    const second = response.clone();
    new Uint8Array(await response.arrayBuffer()).fill(0x21);
    (await first.bytes()).fill(0x22);
    expect(await second.text()).toBe('0123456789');
  });

  it('a 204 and a HEAD have an empty body', async () => {
    const transport = undiciTransport();
    const noContent = await transport.fetch(get('/no-content'));
    expect([noContent.status, await noContent.text()]).toEqual([204, '']);
    const head = await transport.fetch(get('/text', { method: 'HEAD' }));
    expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([200, 'text/plain;charset=utf-8', '']);
  });

  it('sends a request that has no headers at all, and a GET with a body', async () => {
    const bare = new WireRequest(`${server.url}/echo`, { method: 'GET', body: 'payload' }) as unknown as Request;
    expect(await (await undiciTransport().fetch(bare)).text()).toBe('GET payload');
  });

  it.each(['/ten-declared', '/ten-chunked'])('%s: a body of exactly maxBodyBytes is read; with one byte less allowed it is refused', async (path) => {
    const transport = undiciTransport();
    expect(await (await transport.fetch(get(path), { maxBodyBytes: 10 })).text()).toBe('0123456789');
    await expect(transport.fetch(get(path), { maxBodyBytes: 9 })).rejects.toThrow(/more than the 9 bytes allowed \(maxBodyBytes\)$/);
  });

  it('a body refused for its declared length, already arrived, raises no uncaught error (which would end the process)', async () => {
    const uncaught: unknown[] = [];
    const collect = (error: unknown) => void uncaught.push(error);
    process.on('uncaughtException', collect);
    try {
      await expect(undiciTransport().fetch(get('/ten-declared'), { maxBodyBytes: 9 })).rejects.toThrow(/more than the 9 bytes allowed/);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('uncaughtException', collect);
    }
    expect(uncaught).toEqual([]);
  });

  it('goes through the dispatcher it is given', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get('http://api.invalid').intercept({ path: '/mocked', method: 'GET' }).reply(200, 'from the mock agent');
    try {
      const response = await undiciTransport({ dispatcher: agent }).fetch(new WireRequest('http://api.invalid/mocked', { method: 'GET' }) as unknown as Request);
      expect(await response.text()).toBe('from the mock agent');
    } finally {
      await agent.close();
    }
  });
});
