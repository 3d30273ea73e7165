// Faults on demand, for one request: the X-Sandbox-Fault header, failNext from code, and
// POST /__sandbox/fail-next over HTTP. No random seed: a test asks for exactly one fault and asserts exactly
// one retry, or exactly-once creation, through the project's client as users get it (the built package).
import { createTakeControlClient } from '../../take-control/src/node.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index.js';

const KEY = 'your-private-key';
const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sandbox) => sandbox.close()));
});

async function start() {
  const sandbox = await startSandbox({ apis: ['take-control'] });
  open.push(sandbox);
  return { sandbox, url: sandbox.urls['take-control'] as string, client: createTakeControlClient({ baseUrl: sandbox.urls['take-control'] as string, integrationKey: KEY }) };
}

const stored = (sandbox: Sandbox) => sandbox.state()['take-control']?.technicians.map((technician) => technician.email) ?? [];
const john = { email: 'john.doe@example.com', name: 'John Doe' };

/** A raw create with the fault header; a fresh connection each time, since a dropped one must not be reused. */
const createWithFault = (url: string, fault: string, email = john.email) =>
  fetch(`${url}/tech`, {
    method: 'POST',
    headers: { authorization: `INTEGRATION-KEY ${KEY}`, 'content-type': 'application/json', 'x-sandbox-fault': fault, connection: 'close' },
    body: JSON.stringify({ email, name: 'Fault' }),
  }).then(
    async (response) => ({ status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() }),
    () => 'dropped' as const,
  );

describe('X-Sandbox-Fault', () => {
  it('429 and 503 are answered without handling the request; drop-before closes before it, drop-after after it', async () => {
    const { sandbox, url } = await start();
    expect(await createWithFault(url, '429', 'a@example.com')).toEqual({ status: 429, retryAfter: '1', body: { status: 429, message: 'Too many requests' } });
    expect(await createWithFault(url, '503', 'b@example.com')).toEqual({
      status: 503,
      retryAfter: null,
      body: { status: 503, message: 'Service unavailable (a fault injected by the sandbox)' },
    });
    expect(await createWithFault(url, 'drop-before', 'c@example.com')).toBe('dropped');
    expect(await createWithFault(url, 'drop-after', 'd@example.com')).toBe('dropped');
    expect(stored(sandbox)).toEqual(['d@example.com']);
    expect(sandbox.requests().map((entry) => [entry.status, entry.fault])).toEqual([
      [429, '429'],
      [503, '503'],
      [null, 'drop-before'],
      [200, 'drop-after'],
    ]);
  });

  it('latency=300 delays that request only; the header is stripped before the request is checked', async () => {
    const { sandbox, url } = await start();
    const started = performance.now();
    const slow = await createWithFault(url, 'latency=300', 'slow@example.com');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(slow).toEqual({ status: 200, retryAfter: null, body: { result: 'SUCCESS', details: {}, errorDetails: null } });
    expect(sandbox.requests().map((entry) => [entry.status, entry.fault, entry.headers['x-sandbox-fault']])).toEqual([[200, 'latency=300', undefined]]);
  });

  it('an unknown fault gets a 400 naming the accepted ones, and nothing is done', async () => {
    const { sandbox, url } = await start();
    expect(await createWithFault(url, 'sometimes')).toEqual({
      status: 400,
      retryAfter: null,
      body: { status: 400, message: 'X-Sandbox-Fault: unknown fault "sometimes": give 429, 503, drop-before, drop-after or latency=<ms> (at most 60000 ms)' },
    });
    expect(stored(sandbox)).toEqual([]);
  });
});

describe('failNext, through the project client', () => {
  it('a 429 on one create is retried once, after Retry-After, and the technician is created once', async () => {
    const { sandbox, client } = await start();
    sandbox.failNext('createTechnician', 429);
    expect((await client.createTechnician(john)).error).toBeUndefined();
    const attempts = sandbox.requests({ operationId: 'createTechnician' });
    expect(attempts.map((entry) => [entry.status, entry.fault])).toEqual([
      [429, '429'],
      [200, null],
    ]);
    // Retry-After: 1 waited out (the finding would say otherwise), on the sandbox clock.
    expect(Date.parse(attempts[1]?.time as string) - Date.parse(attempts[0]?.time as string)).toBeGreaterThanOrEqual(980);
    expect(sandbox.findings()).toEqual([]);
    expect(stored(sandbox)).toEqual([john.email]);
  });

  it('a drop-after on a create: the client does not send it again, the technician exists once; a create sent later to settle it gets 409 and no finding', async () => {
    const { sandbox, client } = await start();
    sandbox.failNext('createTechnician', 'drop-after');
    const lost = await client.createTechnician(john);
    expect(lost.error?.kind).toBe('network');
    expect(sandbox.requests().map((entry) => [entry.operationId, entry.status, entry.fault])).toEqual([['createTechnician', 200, 'drop-after']]);
    expect(stored(sandbox)).toEqual([john.email]);
    // The answer was lost, so nothing settled it for the client: asking again is how it learns.
    expect((await client.createTechnician(john)).error?.status).toBe(409);
    expect(stored(sandbox)).toEqual([john.email]);
    expect(sandbox.findings()).toEqual([]);
  });

  it('queues faults per operation, first in first out; a reset drops them; an unknown operation or fault is refused', async () => {
    const { sandbox, client } = await start();
    sandbox.failNext('setTechnicianStatus', 503);
    sandbox.failNext('setTechnicianStatus', 'drop-before');
    sandbox.failNext('createTechnician', 503);
    sandbox.reset();
    sandbox.failNext('setTechnicianStatus', 503);
    sandbox.failNext('setTechnicianStatus', 'drop-before');
    await client.createTechnician(john);
    // PUT is idempotent: the client retries through the 503 and the drop.
    expect((await client.setTechnicianStatus(john.email, 'disabled')).error).toBeUndefined();
    expect(sandbox.requests().map((entry) => [entry.operationId, entry.status, entry.fault])).toEqual([
      ['createTechnician', 200, null],
      ['setTechnicianStatus', 503, '503'],
      ['setTechnicianStatus', null, 'drop-before'],
      ['setTechnicianStatus', 200, null],
    ]);
    expect(() => sandbox.failNext('deleteTechnician', 503)).toThrow('failNext: no served API has the operation "deleteTechnician" (createTechnician, createTechnicians, setTechnicianStatus)');
    expect(() => sandbox.failNext('createTechnician', 'later' as never)).toThrow(/unknown fault "later": give 429, 503, drop-before, drop-after or latency=<ms>/);
  }, 30_000);

  it('POST /__sandbox/fail-next does the same over HTTP', async () => {
    const { sandbox, url, client } = await start();
    const queued = await fetch(`${url}/__sandbox/fail-next`, { method: 'POST', body: JSON.stringify({ operationId: 'createTechnician', fault: 'drop-before' }) });
    expect(queued.status).toBe(204);
    expect((await client.createTechnician(john)).error?.kind).toBe('network');
    expect(stored(sandbox)).toEqual([]);
    const refused = await fetch(`${url}/__sandbox/fail-next`, { method: 'POST', body: JSON.stringify({ operationId: 'authenticate', fault: 503 }) });
    expect([refused.status, (await refused.json()).message]).toEqual([400, 'failNext: take-control has no operation "authenticate" (it has createTechnician, createTechnicians, setTechnicianStatus)']);
  });
});
