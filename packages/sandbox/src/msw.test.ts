// What the MSW carrier itself does: where its handlers answer, how a dropped answer and latency reach a
// client, what it refuses; the behaviour they share with the servers is in the stateful scenarios.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as takeControl from '../../take-control/src/node.js';
import * as technicien from '../../technicien/src/node.js';
import { createSandboxHandlers } from './msw.js';

const KEY = 'your-private-key';
const msw = setupServer();
const unhandled: string[] = [];
beforeAll(() => {
  msw.events.on('request:unhandled', ({ request }) => unhandled.push(`${request.method} ${request.url}`));
  msw.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => {
  msw.resetHandlers();
  unhandled.length = 0;
});
afterAll(() => msw.close());

const john = { email: 'john.doe@example.com', name: 'John Doe' };

describe('createSandboxHandlers', () => {
  it("answers at the specs' production servers by default, for both clients' every operation", async () => {
    const sandbox = createSandboxHandlers();
    expect(sandbox.urls).toEqual({ 'take-control': 'https://api.us0.swi-rc.com/rest', technicien: 'https://v3.oceansystem.com/ocean' });
    expect(sandbox.handlers).toHaveLength(2);
    msw.use(...sandbox.handlers);
    const tc = takeControl.createTakeControlClient({ baseUrl: 'https://api.us0.swi-rc.com/rest', integrationKey: KEY });
    expect((await tc.createTechnician(john)).data).toMatchObject({ result: 'SUCCESS' });
    expect((await tc.createTechnicians([{ email: 'a@example.com', name: 'A' }])).created).toEqual(['a@example.com']);
    expect((await tc.setTechnicianStatus(john.email, 'disabled')).error).toBeUndefined();
    const oc = technicien.createTechnicienClient({ baseUrl: 'https://v3.oceansystem.com/ocean', credentials: { login: 'demo', password: 'demo' } });
    expect((await oc.authenticate('demo', 'demo')).data?.token).toEqual(expect.any(String));
    expect((await oc.grantClientAccess({ emails: ['tech1@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' })).response?.status).toBe(201);
    expect((await oc.updateTechnicien({ id: 2, passwordValidityDurationNbDays: 7 }, { customerId: 1 })).data).toMatchObject({ id: 2, passwordValidityDurationNbDays: 7 });
    expect(sandbox.state()['take-control']?.technicians.map((entry) => [entry.email, entry.status])).toEqual([
      ['john.doe@example.com', 'disabled'],
      ['a@example.com', 'enabled'],
    ]);
    expect(sandbox.state().technicien?.techniciens.find((entry) => entry.id === 2)?.passwordValidityDurationNbDays).toBe(7);
    expect(unhandled).toEqual([]);
  });

  it('`urls` moves them; a path under the base with no operation gets the API 404; other hosts are not handled', async () => {
    const sandbox = createSandboxHandlers({ apis: ['take-control'], urls: { 'take-control': 'http://tc.test/api/' } });
    expect(sandbox.urls).toEqual({ 'take-control': 'http://tc.test/api' });
    msw.use(...sandbox.handlers);
    const moved = takeControl.createTakeControlClient({ baseUrl: 'http://tc.test/api', integrationKey: KEY, retry: false });
    expect((await moved.createTechnician(john)).error).toBeUndefined();
    const unknown = await fetch('http://tc.test/api/nothing', { method: 'POST' });
    expect([unknown.status, await unknown.json()]).toEqual([404, { status: 404, message: 'No operation of the spec is POST /nothing' }]);
    const production = await takeControl.createTakeControlClient({ baseUrl: 'https://api.us0.swi-rc.com/rest', integrationKey: KEY, retry: false }).createTechnician(john);
    expect(production.error?.kind).toBe('network');
    expect(unhandled).toEqual(['POST https://api.us0.swi-rc.com/rest/tech']);
  });

  it('a dropped answer is a network error, after the work was done; a 503 fault did none', async () => {
    const sandbox = createSandboxHandlers({ apis: ['take-control'], faults: { errorRate: 0.3, dropRate: 0.3, seed: 99 } });
    msw.use(...sandbox.handlers);
    const client = takeControl.createTakeControlClient({ baseUrl: sandbox.urls['take-control'] as string, integrationKey: KEY });
    const outcomes: string[] = [];
    for (let index = 0; index < 20; index++) {
      const { error } = await client.createTechnician({ email: `fault.${index}@example.com`, name: 'Fault' });
      outcomes.push(error ? (error.kind === 'network' ? 'dropped' : String(error.status)) : '200');
    }
    expect(new Set(outcomes)).toEqual(new Set(['200', '503', 'dropped']));
    const kept = outcomes.flatMap((outcome, index) => (outcome === '503' ? [] : [`fault.${index}@example.com`]));
    expect(sandbox.state()['take-control']?.technicians.map((entry) => entry.email)).toEqual(kept);
  });

  it('X-Sandbox-Fault is read and stripped in MSW too: a 429 with Retry-After that did nothing, a drop-after that did the work', async () => {
    const sandbox = createSandboxHandlers({ apis: ['take-control'] });
    msw.use(...sandbox.handlers);
    const url = `${sandbox.urls['take-control']}/tech`;
    const create = (email: string, fault: string) =>
      fetch(url, {
        method: 'POST',
        headers: { authorization: `INTEGRATION-KEY ${KEY}`, 'content-type': 'application/json', 'x-sandbox-fault': fault },
        body: JSON.stringify({ email, name: 'Fault' }),
      });
    const limited = await create('limited@example.com', '429');
    expect([limited.status, limited.headers.get('retry-after'), await limited.json()]).toEqual([429, '1', { status: 429, message: 'Too many requests' }]);
    await expect(create('dropped@example.com', 'drop-after')).rejects.toThrow(TypeError);
    expect(sandbox.state()['take-control']?.technicians.map((entry) => entry.email)).toEqual(['dropped@example.com']);
    expect(sandbox.requests().map((entry) => [entry.operationId, entry.status, entry.fault, entry.headers['x-sandbox-fault']])).toEqual([
      ['createTechnician', 429, '429', undefined],
      ['createTechnician', 200, 'drop-after', undefined],
    ]);
  });

  it('latency delays each answer on a vendor path', async () => {
    const sandbox = createSandboxHandlers({ apis: ['take-control'], latencyMs: 150 });
    msw.use(...sandbox.handlers);
    const client = takeControl.createTakeControlClient({ baseUrl: sandbox.urls['take-control'] as string, integrationKey: KEY });
    const started = performance.now();
    expect((await client.createTechnician(john)).error).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('refuses a URL for an API it does not serve, and bad core options', () => {
    expect(() => createSandboxHandlers({ apis: ['technicien'], urls: { 'take-control': 'http://x.test' } })).toThrow(/does not serve "take-control"/);
    expect(() => createSandboxHandlers({ apis: [] })).toThrow(TypeError);
  });
});
