// The engine on real HTTP: an answer that breaks the spec never leaves as it is (a 500 names the
// violation), paths outside the spec, the control endpoints, and latency.
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSpecValidator } from '@techapi/openapi-validator';
import { createClock } from './clock.js';
import { createFaults } from './faults.js';
import type { ApiBehaviour, Reply } from './behaviour.js';
import { createApiEngine } from './engine.js';
import { serveApi, type ApiServer } from './http.js';
import { startSandbox } from './index.js';
import { SPECS } from './specs.js';

const servers: ApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  vi.restoreAllMocks();
});

/** Take Control's spec served by a behaviour whose createTechnician answers `reply`, whatever it is sent. */
async function serveAnswering(reply: Reply) {
  const behaviour: ApiBehaviour = {
    name: 'take-control',
    spec: SPECS['take-control'],
    authenticate: () => ({ credential: 'any' }),
    invalidRequest: () => ({ status: 400, body: { status: 400, message: 'Invalid request' } }),
    errorBody: (status, message) => ({ status, message }),
    handlers: { createTechnician: () => reply },
    state: () => ({}),
    reset: () => {},
    seed: () => {},
  };
  const clock = createClock();
  const engine = createApiEngine({ behaviour, validator: createSpecValidator(behaviour.spec), clock, rateLimit: undefined, latencyMs: 0, drawFault: createFaults() });
  const server = await serveApi(engine, '127.0.0.1', 0);
  servers.push(server);
  return server;
}

const create = (url: string) =>
  fetch(`${url}/tech`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'INTEGRATION-KEY k' }, body: '{"email":"a@example.com","name":"A"}' });

describe('every answer is checked against the spec before it leaves', () => {
  it.each([
    ['an undocumented status', { status: 201, body: { result: 'SUCCESS', details: {} } }, 'createTechnician response status 201: 201 is not documented'],
    ['a body that breaks the schema', { status: 200, body: { result: 'SUCCESS' } }, 'createTechnician response body /details: must have required property'],
    ['an error body of the wrong shape', { status: 409, body: { error: 'conflict' } }, 'createTechnician response body /status: must have required property'],
    ['no body where one is documented', { status: 200 }, 'createTechnician response body: status 200 documents a body, none was sent'],
  ])('%s becomes a 500 that names the violation', async (_name, reply, violation) => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const server = await serveAnswering(reply as Reply);
    const response = await create(server.url);
    expect(response.status).toBe(500);
    const body = await response.json();
    expect(body.message).toContain("The sandbox's answer broke the contract (dist/specs/take-control.json)");
    expect(body.message).toContain(violation);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining(violation));
  });

  it('a valid answer leaves unchanged, as JSON with its length', async () => {
    const server = await serveAnswering({ status: 200, body: { result: 'SUCCESS', details: {}, errorDetails: null } });
    const response = await create(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe('{"result":"SUCCESS","details":{},"errorDetails":null}');
  });
});

describe('outside the spec operations', () => {
  it('an unknown path gets 404 and a known path with another method 405, in the API error shape', async () => {
    const sandbox = await startSandbox({ apis: ['take-control'] });
    try {
      const url = sandbox.urls['take-control'] as string;
      const unknown = await fetch(`${url}/nothing/here`);
      expect([unknown.status, await unknown.json()]).toEqual([404, { status: 404, message: 'No operation of the spec is GET /nothing/here' }]);
      const wrongMethod = await fetch(`${url}/tech`, { method: 'DELETE' });
      expect([wrongMethod.status, await wrongMethod.json()]).toEqual([405, { status: 405, message: 'DELETE is not an operation of /tech' }]);
      // RFC 9110: a 405 lists the methods the path has.
      expect(wrongMethod.headers.get('allow')).toBe('POST');
      const bulk = await fetch(`${url}/tech/bulk`, { method: 'GET' });
      // PUT too: `/tech/bulk` is also `/tech/{techUsername}` for a technician named "bulk".
      expect([bulk.status, bulk.headers.get('allow')]).toEqual([405, 'POST, PUT']);
      const control = await fetch(`${url}/__sandbox/nothing`);
      expect(control.status).toBe(404);
    } finally {
      await sandbox.close();
    }
  });

  it('the control endpoints seed and move the clock over HTTP; bad control input gets 400', async () => {
    const sandbox = await startSandbox({ apis: ['take-control'] });
    try {
      const url = sandbox.urls['take-control'] as string;
      const seeded = await fetch(`${url}/__sandbox/seed`, { method: 'POST', body: JSON.stringify({ technicians: [{ email: 'seed@example.com', name: 'Seed' }] }) });
      expect(seeded.status).toBe(204);
      expect(sandbox.state()['take-control']?.technicians.map((technician) => technician.email)).toEqual(['seed@example.com']);
      const before = Date.now();
      const clock = await fetch(`${url}/__sandbox/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 3_600_000 }) });
      expect(Date.parse((await clock.json()).now) - before).toBeGreaterThanOrEqual(3_600_000);
      expect((await fetch(`${url}/__sandbox/clock`, { method: 'POST', body: '{"advanceMs":-1}' })).status).toBe(400);
      expect((await fetch(`${url}/__sandbox/seed`, { method: 'POST', body: '{"technicians":[{"name":"no email"}]}' })).status).toBe(400);
    } finally {
      await sandbox.close();
    }
  });

  it('latency is added before each answer on a vendor path', async () => {
    const sandbox = await startSandbox({ apis: ['take-control'], latencyMs: 150 });
    try {
      const started = performance.now();
      const response = await create(sandbox.urls['take-control'] as string);
      expect(response.status).toBe(403); // key "k" is not the sandbox's
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      await sandbox.close();
    }
  });

  it('refuses bad options at start', async () => {
    await expect(startSandbox({ apis: ['nope' as never] })).rejects.toThrow(/Unknown API "nope"/);
    await expect(startSandbox({ faults: { errorRate: 2 } })).rejects.toThrow(/errorRate must be between 0 and 1/);
    await expect(startSandbox({ rateLimit: -1 })).rejects.toThrow(/rateLimit/);
    await expect(startSandbox({ takeControl: { bulkConflicts: 'sometimes' as never } })).rejects.toThrow(/bulkConflicts/);
    await expect(startSandbox({ technicien: { seed: { techniciens: [{ id: 'one' as never }] } } })).rejects.toThrow(/not valid for the spec/);
  });
});

describe('a body that is not UTF-8', () => {
  it('is refused with the API answer to bad input, and nothing is stored', async () => {
    const sandbox = await startSandbox();
    try {
      // "José" as Windows-1252 writes it: 0xE9 is no UTF-8 sequence, and decoding it would store U+FFFD.
      const body = Buffer.concat([Buffer.from('{"email":"jose@example.com","name":"Jos'), Buffer.from([0xe9]), Buffer.from('"}')]);
      const response = await fetch(`${sandbox.urls['take-control']}/tech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'INTEGRATION-KEY your-private-key' },
        body,
      });
      expect([response.status, await response.json()]).toEqual([400, { status: 400, message: 'Invalid request: body is not valid UTF-8: send JSON encoded as UTF-8' }]);
      expect(sandbox.state()['take-control']?.technicians).toEqual([]);

      const login = await fetch(`${sandbox.urls.technicien}/restapi/auth/authenticate2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"login":"demo","password":"demo"}' });
      const token = (await login.json()).token as string;
      const update = Buffer.concat([Buffer.from('{"id":1,"nomUti":"Dupr'), Buffer.from([0xe9]), Buffer.from('"}')]);
      // The update is a GET with a body, which fetch refuses to send: node:http sends it.
      const refused = await new Promise<{ status?: number; text: string }>((resolve, reject) => {
        const call = httpRequest(`${sandbox.urls.technicien}/restapi/technicien/update?customerId=1`, { method: 'GET', headers: { 'content-type': 'application/json', 'content-length': update.length, 'x-auth-token': token } }, (response) => {
          let text = '';
          response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: response.statusCode, text }));
        });
        call.on('error', reject).end(update);
      });
      expect([refused.status, JSON.parse(refused.text).message]).toEqual([400, 'Invalid request: body is not valid UTF-8: send JSON encoded as UTF-8']);
      expect(JSON.stringify(sandbox.state())).not.toContain('\ufffd');
    } finally {
      await sandbox.close();
    }
  });
});
