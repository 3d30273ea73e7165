// The request journal, met by the project's own clients as users get them (the built packages): each API's
// stateful scenarios leave the exact sequence of (operationId, status) they caused, with no credential in
// clear text anywhere, and no finding. Then the journal's filters, bound, reset and the shape of an entry.
import { createTakeControlClient } from '../../take-control/src/node.js';
import { createTechnicienClient } from '../../technicien/src/node.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, TOKEN_LIFETIME_MS, type Sandbox, type SandboxOptions } from './index.js';

const KEY = 'your-private-key';
const PASSWORD = 'Pa55word-never-in-the-journal';
const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sandbox) => sandbox.close()));
});

async function start(options: SandboxOptions) {
  const sandbox = await startSandbox(options);
  open.push(sandbox);
  return sandbox;
}

const sequence = (sandbox: Sandbox) => sandbox.requests().map((entry) => [entry.operationId, entry.status]);

/** No secret anywhere in the journal: not the key, not the password, not a whole token (a UUID). */
function expectNoCredential(sandbox: Sandbox) {
  const text = JSON.stringify(sandbox.requests());
  expect(text).not.toContain(KEY);
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
}

describe('the stateful scenarios, through the project clients', () => {
  it('Take Control: creates, status changes, a bulk, an unknown technician, and a 429 waited out', async () => {
    const sandbox = await start({ apis: ['take-control'], rateLimit: 1 });
    const client = createTakeControlClient({ baseUrl: sandbox.urls['take-control'] as string, integrationKey: KEY });
    // Each call in a second of its own on the sandbox clock, but the last two: the limit is 1 per second.
    expect((await client.createTechnician({ email: 'john.doe@example.com', name: 'John Doe' })).error).toBeUndefined();
    sandbox.advanceClock(1000);
    expect((await client.setTechnicianStatus('john.doe@example.com', 'disabled')).error).toBeUndefined();
    sandbox.advanceClock(1000);
    const report = await client.createTechnicians([
      { email: 'ana@example.com', name: 'Ana' },
      { email: 'bo@example.com', name: 'Bo' },
    ]);
    expect(report.created).toEqual(['ana@example.com', 'bo@example.com']);
    sandbox.advanceClock(1000);
    expect((await client.setTechnicianStatus('nobody@example.com', 'enabled')).error?.status).toBe(404);
    // The next two at the start of a second of the sandbox clock (4 s ahead of the real one): the second
    // call meets the limit, waits out the 429's Retry-After, then goes through.
    sandbox.advanceClock(1000 + 1000 - ((Date.now() + 5000) % 1000));
    expect((await client.setTechnicianStatus('ana@example.com', 'disabled')).error).toBeUndefined();
    expect((await client.setTechnicianStatus('bo@example.com', 'disabled')).error).toBeUndefined();

    expect(sequence(sandbox)).toEqual([
      ['createTechnician', 200],
      ['setTechnicianStatus', 200],
      ['createTechnicians', 200],
      ['setTechnicianStatus', 404],
      ['setTechnicianStatus', 200],
      ['setTechnicianStatus', 429],
      ['setTechnicianStatus', 200],
    ]);
    expect(sandbox.requests().every((entry) => entry.headers.authorization === 'INTEGRATION-KEY ***')).toBe(true);
    expectNoCredential(sandbox);
    expect(sandbox.findings()).toEqual([]);
  }, 30_000);

  it('Gestion: a login, grants, the README partial update then a grant, and a token expired on the sandbox clock', async () => {
    const sandbox = await start({ apis: ['technicien'], technicien: { password: PASSWORD } });
    const client = createTechnicienClient({ baseUrl: sandbox.urls.technicien as string, credentials: { login: 'demo', password: PASSWORD } });
    const grant = { emails: ['tech1@example.com', 'tech2@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' };
    expect((await client.grantClientAccess(grant)).response?.status).toBe(201);
    expect((await client.grantClientAccess({ ...grant, dateFin: '2027-06-30' })).response?.status).toBe(200);
    expect((await client.updateTechnicien({ id: 1, utilisateur: { prenomUti: 'Amélie' } })).error).toBeUndefined();
    expect((await client.grantClientAccess({ ...grant, emails: ['tech1@example.com'] })).response?.status).toBe(200);
    sandbox.advanceClock(TOKEN_LIFETIME_MS);
    // The token is past its 12 hours: a 401, one login, the call again.
    expect((await client.grantClientAccess(grant)).response?.status).toBe(200);

    expect(sequence(sandbox)).toEqual([
      ['authenticate', 200],
      ['grantClientAccess', 201],
      ['grantClientAccess', 200],
      ['updateTechnicien', 200],
      ['grantClientAccess', 200],
      ['grantClientAccess', 401],
      ['authenticate', 200],
      ['grantClientAccess', 200],
    ]);
    const [login] = sandbox.requests({ operationId: 'authenticate' });
    expect(login?.body).toBe('{"login":"demo","password":"***"}');
    for (const entry of sandbox.requests()) {
      if (entry.operationId !== 'authenticate') expect(entry.headers['x-auth-token']).toMatch(/^\*\*\*[0-9a-f]{4}$/);
    }
    expectNoCredential(sandbox);
    expect(sandbox.findings()).toEqual([]);
  });
});

describe('the journal', () => {
  it('an entry: sandbox time, API, operation, method, path, query and body as received, redacted headers, status, fault', async () => {
    const sandbox = await start({ apis: ['technicien'] });
    sandbox.advanceClock(60_000);
    const before = Date.now() + 60_000;
    const url = sandbox.urls.technicien as string;
    const login = await fetch(`${url}/restapi/auth/authenticate2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"login":"demo","password":"demo"}' });
    const { token } = (await login.json()) as { token: string };
    const grant = await fetch(`${url}/restapi/technicien/grant-client-access?emails=tech1@example.com&codeExploitant=EXP01&dateFin=2026-12-31`, {
      method: 'POST',
      headers: { 'x-auth-token': token, 'x-sandbox-fault': 'latency=1' },
    });
    expect(grant.status).toBe(201);
    const unknown = await fetch(`${url}/nothing?x=1`);
    expect(unknown.status).toBe(404);

    const [first, second, third] = sandbox.requests();
    expect(Date.parse(first?.time as string)).toBeGreaterThanOrEqual(before);
    expect(first).toMatchObject({ seq: 1, api: 'technicien', operationId: 'authenticate', method: 'POST', path: '/restapi/auth/authenticate2', query: '', status: 200, fault: null });
    expect(first?.body).toBe('{"login":"demo","password":"***"}');
    expect(second).toMatchObject({
      seq: 2,
      operationId: 'grantClientAccess',
      path: '/restapi/technicien/grant-client-access',
      query: 'emails=tech1@example.com&codeExploitant=EXP01&dateFin=2026-12-31',
      body: '',
      status: 201,
      fault: 'latency=1',
    });
    // The fault header is read and stripped: it is the entry's fault, not one of its headers.
    expect(second?.headers).toMatchObject({ 'x-auth-token': `***${token.slice(-4)}` });
    expect(second?.headers['x-sandbox-fault']).toBeUndefined();
    expect(third).toMatchObject({ seq: 3, operationId: null, method: 'GET', path: '/nothing', query: 'x=1', status: 404 });
    expect(JSON.stringify(sandbox.requests())).not.toContain(token);
  });

  it('a key sent in any form is redacted; a body that is not UTF-8 is kept as base64', async () => {
    const sandbox = await start({ apis: ['take-control'] });
    const url = `${sandbox.urls['take-control']}/tech`;
    const body = '{"email":"a@example.com","name":"A"}';
    for (const headers of [{ authorization: `Bearer ${KEY}` }, { authorization: KEY }, { 'integration-key': KEY }, { authorization: `INTEGRATION-KEY ${KEY}`, 'x-note': `key ${KEY}` }] as Record<string, string>[]) {
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    }
    const latin1 = Uint8Array.from([...Buffer.from('{"email":"jose@example.com","name":"Jos'), 0xe9, ...Buffer.from('"}')]);
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `INTEGRATION-KEY ${KEY}` }, body: latin1 });
    const entries = sandbox.requests();
    expect(entries.map((entry) => [entry.status, entry.headers.authorization ?? entry.headers['integration-key']])).toEqual([
      [403, 'Bearer ***'],
      [403, '***'],
      [401, '***'],
      [200, 'INTEGRATION-KEY ***'],
      [400, 'INTEGRATION-KEY ***'],
    ]);
    expect(entries[3]?.headers['x-note']).toBe('key ***');
    expect(entries[4]).toMatchObject({ body: '', bodyBase64: Buffer.from(latin1).toString('base64') });
    expectNoCredential(sandbox);
  });

  it('filters by operationId and status, from code and over HTTP on each API port', async () => {
    const sandbox = await start({});
    const client = createTakeControlClient({ baseUrl: sandbox.urls['take-control'] as string, integrationKey: KEY, retry: false });
    await client.createTechnician({ email: 'a@example.com', name: 'A' });
    await client.createTechnician({ email: 'b@example.com', name: 'B' });
    await client.setTechnicianStatus('nobody@example.com', 'disabled');
    await fetch(`${sandbox.urls.technicien}/restapi/auth/authenticate2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"login":"demo","password":"demo"}' });

    expect(sandbox.requests().map((entry) => [entry.seq, entry.api])).toEqual([
      [1, 'take-control'],
      [2, 'take-control'],
      [3, 'take-control'],
      [4, 'technicien'],
    ]);
    expect(sandbox.requests({ operationId: 'createTechnician' }).map((entry) => entry.seq)).toEqual([1, 2]);
    expect(sandbox.requests({ status: 404 }).map((entry) => entry.seq)).toEqual([3]);
    expect(sandbox.requests({ api: 'technicien' }).map((entry) => entry.seq)).toEqual([4]);
    const overHttp = async (api: 'take-control' | 'technicien', query = '') => {
      const response = await fetch(`${sandbox.urls[api]}/__sandbox/requests${query}`);
      expect(response.status).toBe(200);
      return ((await response.json()) as Array<{ seq: number }>).map((entry) => entry.seq);
    };
    expect(await overHttp('take-control')).toEqual([1, 2, 3]);
    expect(await overHttp('take-control', '?operationId=createTechnician&status=200')).toEqual([1, 2]);
    expect(await overHttp('take-control', '?status=404')).toEqual([3]);
    expect(await overHttp('technicien')).toEqual([4]);
    const badStatus = await fetch(`${sandbox.urls.technicien}/__sandbox/requests?status=ok`);
    expect([badStatus.status, (await badStatus.json()).message]).toEqual([400, 'status must be a 3-digit HTTP status, got "ok"']);

    // A reset over HTTP clears that API's requests only; reset() clears all and numbers from 1 again.
    expect((await fetch(`${sandbox.urls['take-control']}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
    expect(sandbox.requests().map((entry) => entry.seq)).toEqual([4]);
    sandbox.reset();
    expect(sandbox.requests()).toEqual([]);
    await client.createTechnician({ email: 'a@example.com', name: 'A' });
    expect(sandbox.requests().map((entry) => [entry.seq, entry.status])).toEqual([[1, 200]]);
  });

  it('keeps the last journalLimit requests; 0 keeps none', async () => {
    const small = await start({ apis: ['take-control'], journalLimit: 3 });
    const none = await start({ apis: ['take-control'], journalLimit: 0 });
    for (const sandbox of [small, none]) {
      const client = createTakeControlClient({ baseUrl: sandbox.urls['take-control'] as string, integrationKey: KEY });
      for (let index = 0; index < 5; index++) await client.createTechnician({ email: `t${index}@example.com`, name: 'T' });
      expect(sandbox.state()['take-control']?.technicians).toHaveLength(5);
    }
    expect(small.requests().map((entry) => entry.seq)).toEqual([3, 4, 5]);
    expect(none.requests()).toEqual([]);
    await expect(startSandbox({ journalLimit: -1 })).rejects.toThrow(/journalLimit must be an integer >= 0, got -1/);
  });
});
