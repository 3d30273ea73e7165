import nodeHttp from 'node:http';
import { getClientRequestBodyStream } from '@mswjs/interceptors/utils/node';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { MockAgent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendJson, startLocalServer, type LocalServer, type ReceivedRequest } from '../../../tools/testing/local-server.mjs';
import { createTechnicienClient as createPortableClient } from './index.js';
import { createTechnicienClient, undiciTransport } from './node.js';

// Which transport carries a call, seen from a real server on loopback: global fetch always sends
// `sec-fetch-mode: cors`, node:http and undici's `request()` never do. (The process-wide cases, proxy variables and a
// runtime without undici, are in take-control's node-transport.test.ts: both entries share that code.)
let server: LocalServer;
const received: ReceivedRequest[] = [];
beforeAll(async () => {
  server = await startLocalServer((request, response) => {
    received.push(request);
    sendJson(response, 200, request.url.pathname.endsWith('/update') ? JSON.parse(request.body) : {});
  });
});
afterAll(() => server.close());
beforeEach(() => {
  received.length = 0;
});

const viaFetch = () => received.map((request) => request.headers['sec-fetch-mode'] !== undefined);
const grant = { emails: ['tech1@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' };
const technicien = { id: 42, idUtilisateur: 4242 };

describe("the Node entry's default transport", () => {
  it('sends every call over global fetch but the GET with a body, which goes over node:http with its body', async () => {
    const overNodeHttp = vi.spyOn(nodeHttp, 'request');
    try {
      const client = createTechnicienClient({ baseUrl: server.url, token: 'tok-node-transport' });
      expect((await client.grantClientAccess(grant)).error).toBeUndefined();
      expect((await client.updateTechnicien(technicien)).data).toEqual(technicien);
      expect(overNodeHttp).toHaveBeenCalledTimes(1);
    } finally {
      overNodeHttp.mockRestore();
    }
    expect(viaFetch()).toEqual([true, false]);
    expect(received.map((request) => [request.method, request.url.pathname, request.body])).toEqual([
      ['POST', '/restapi/technicien/grant-client-access', ''],
      ['GET', '/restapi/technicien/update', JSON.stringify(technicien)],
    ]);
  });

  it('`fetch` wins for what fetch can send; the GET with a body stays on node:http', async () => {
    let calls = 0;
    const client = createTechnicienClient({ baseUrl: server.url, token: 'tok-node-transport', fetch: (request) => (calls++, fetch(request)) });
    expect((await client.grantClientAccess(grant)).error).toBeUndefined();
    expect((await client.updateTechnicien(technicien)).error).toBeUndefined();
    expect(calls).toBe(1);
    expect(viaFetch()).toEqual([true, false]);
  });

  it("MSW's setupServer answers each call, and its handler reads the GET's body", async () => {
    const seen: unknown[] = [];
    const msw = setupServer(
      http.post(`${server.url}/restapi/technicien/grant-client-access`, ({ request }) => {
        seen.push(['grant', new URL(request.url).searchParams.get('codeExploitant')]);
        return new HttpResponse(null, { status: 201 });
      }),
      http.get(`${server.url}/restapi/technicien/update`, async ({ request }) => {
        // Fetch's Request holds no body on a GET: MSW keeps the one node:http sent as a stream beside it.
        const chunks: Buffer[] = [];
        for await (const chunk of getClientRequestBodyStream(request)) chunks.push(chunk as Buffer);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        seen.push(['update', body]);
        return HttpResponse.json({ ...body, nomTechnicien: 'from MSW' });
      }),
    );
    msw.listen({ onUnhandledRequest: 'error' });
    try {
      const client = createTechnicienClient({ baseUrl: server.url, token: 'tok-node-transport' });
      expect((await client.grantClientAccess(grant)).response?.status).toBe(201);
      expect((await client.updateTechnicien(technicien)).data).toEqual({ ...technicien, nomTechnicien: 'from MSW' });
    } finally {
      msw.close();
    }
    expect(seen).toEqual([
      ['grant', 'EXP01'],
      ['update', technicien],
    ]);
    expect(received).toEqual([]); // nothing reached the server
  });

  it('honours a MockAgent installed with setGlobalDispatcher; the GET with a body too once it goes over undici', async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    const origin = mock.get('https://v3.oceansystem.invalid');
    origin.intercept({ path: (path) => path.startsWith('/ocean/restapi/technicien/grant-client-access?'), method: 'POST' }).reply(201, '');
    origin.intercept({ path: '/ocean/restapi/technicien/update?customerId=7', method: 'GET' }).reply(200, { id: 42, nomTechnicien: 'mocked' });
    const previous = getGlobalDispatcher();
    setGlobalDispatcher(mock);
    try {
      const baseUrl = 'https://v3.oceansystem.invalid/ocean';
      const client = createTechnicienClient({ baseUrl, token: 'tok-node-transport' });
      expect((await client.grantClientAccess(grant)).response?.status).toBe(201);
      const viaUndici = createTechnicienClient({ baseUrl, token: 'tok-node-transport', getWithBodyTransport: undiciTransport() });
      const result = await viaUndici.updateTechnicien(technicien, { customerId: 7 });
      expect(result.error).toBeUndefined();
      expect(result.data).toEqual({ id: 42, nomTechnicien: 'mocked' });
      mock.assertNoPendingInterceptors();
    } finally {
      setGlobalDispatcher(previous);
      await mock.close();
    }
  });

  it("undiciTransport() for both: MSW does not see the calls, which reach the real server", async () => {
    let intercepted = 0;
    const msw = setupServer(http.all(`${server.url}/*`, () => (intercepted++, HttpResponse.json({}))));
    msw.listen({ onUnhandledRequest: 'error' });
    try {
      const fast = createTechnicienClient({ baseUrl: server.url, token: 'tok-node-transport', transport: undiciTransport(), getWithBodyTransport: undiciTransport() });
      expect((await fast.grantClientAccess(grant)).error).toBeUndefined();
      expect((await fast.updateTechnicien(technicien)).data).toEqual(technicien);
    } finally {
      msw.close();
    }
    expect(intercepted).toBe(0);
    expect(received.map((request) => request.url.pathname)).toEqual(['/restapi/technicien/grant-client-access', '/restapi/technicien/update']);
  });
});

describe('the portable entry', () => {
  it('stays on global fetch, and refuses the GET with a body as unsupported', async () => {
    const client = createPortableClient({ baseUrl: server.url, token: 'tok-node-transport' });
    expect((await client.grantClientAccess(grant)).error).toBeUndefined();
    expect((await client.updateTechnicien(technicien)).error).toMatchObject({ kind: 'unsupported' });
    expect(viaFetch()).toEqual([true]);
  });
});
