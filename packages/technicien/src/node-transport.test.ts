import { MockAgent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startLocalServer, type LocalServer, type ReceivedRequest } from '../../../tools/testing/local-server.mjs';
import { createTechnicienClient as createPortableClient } from './index.js';
import { createTechnicienClient } from './node.js';

// Which transport carries a call, seen from a real server on loopback: global fetch always sends
// `sec-fetch-mode: cors`, undici's `request()` never does. (The process-wide cases, proxy variables and a
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
  it("sends every call over undici's request(), the GET with a body included", async () => {
    const client = createTechnicienClient({ baseUrl: server.url, token: 'tok-node-transport' });
    expect((await client.grantClientAccess(grant)).error).toBeUndefined();
    expect((await client.updateTechnicien(technicien)).data).toEqual(technicien);
    expect(viaFetch()).toEqual([false, false]);
  });

  it('`fetch` wins for what fetch can send; the GET with a body stays on undici', async () => {
    let calls = 0;
    const client = createTechnicienClient({ baseUrl: server.url, token: 'tok-node-transport', fetch: (request) => (calls++, fetch(request)) });
    expect((await client.grantClientAccess(grant)).error).toBeUndefined();
    expect((await client.updateTechnicien(technicien)).error).toBeUndefined();
    expect(calls).toBe(1);
    expect(viaFetch()).toEqual([true, false]);
  });

  it('honours a MockAgent installed with setGlobalDispatcher, the GET with a body included', async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    const origin = mock.get('https://v3.oceansystem.invalid');
    origin.intercept({ path: '/ocean/restapi/technicien/update?customerId=7', method: 'GET' }).reply(200, { id: 42, nomTechnicien: 'mocked' });
    const previous = getGlobalDispatcher();
    setGlobalDispatcher(mock);
    try {
      const client = createTechnicienClient({ baseUrl: 'https://v3.oceansystem.invalid/ocean', token: 'tok-node-transport' });
      const result = await client.updateTechnicien(technicien, { customerId: 7 });
      expect(result.error).toBeUndefined();
      expect(result.data).toEqual({ id: 42, nomTechnicien: 'mocked' });
      mock.assertNoPendingInterceptors();
    } finally {
      setGlobalDispatcher(previous);
      await mock.close();
    }
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
