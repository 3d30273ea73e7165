// The server core on real HTTP: an answer that breaks the spec never leaves as it is (a 500 names the
// violation), paths outside the spec, the control endpoints, and latency.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSpecValidator } from '@techapi/openapi-validator';
import { createClock } from './clock.js';
import { createFaults } from './faults.js';
import { serveApi, type ApiBehaviour, type ApiServer, type Reply } from './http.js';
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
  const server = await serveApi({ behaviour, validator: createSpecValidator(behaviour.spec), clock, host: '127.0.0.1', port: 0, rateLimit: undefined, latencyMs: 0, drawFault: createFaults() });
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
