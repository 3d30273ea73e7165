import { describe, expect, it } from 'vitest';
import { mockUrl } from '../../../tools/testing/mock-url.mjs';
import { toResult } from '@techapi/client-core';
import { listOperations } from '../../../tools/testing/spec.mjs';
import { useContract } from '../../../tools/testing/vitest-contract.mjs';
import { createTechnicienClient, undiciTransport, type ApiResult, type Technicien } from './node.js';

// Contract tests against the Prism mock of the bundled spec, through the Node entry's client. Every
// exchange (the GET with a body too) goes through the contract recorder: checked against the spec,
// counted for coverage.
const baseUrl = mockUrl('technicien');
const password = 'pw-contract-5e0c1b';
const contract = useContract('technicien');
const recorded = { fetch: contract.fetch, getWithBodyTransport: contract.wrapTransport(undiciTransport()) };
const client = createTechnicienClient({ baseUrl, credentials: { login: 'tech', password }, ...recorded });
const operations = new Map(listOperations('technicien').map((operation) => [operation.operationId, operation]));

const vendorBody = requestExample('updateTechnicien') as Technicien;
const grant = { emails: ['tech1@example.com', 'tech2@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' };

function requestExample(operationId: string): unknown {
  const example = operations.get(operationId)?.requestExamples[0];
  if (!example) throw new Error(`no request example for ${operationId}`);
  return example.value;
}

function responseExamples(operationId: string, status: number) {
  return operations.get(operationId)?.responseExamples.get(status) ?? [];
}

function expectData<T>(result: ApiResult<T>): T {
  expect(result.error).toBeUndefined();
  expect(result.response?.headers.get('sl-violations')).toBeNull();
  return result.data as T;
}

describe('operations, through the typed client against the mock', () => {
  it('authenticate returns a token', async () => {
    const data = expectData(await client.authenticate('tech', password));
    expect(data).toEqual(responseExamples('authenticate', 200)[0]?.value);
    expect(typeof data.token).toBe('string');
  });

  it('grantClientAccess logs in, then grants', async () => {
    const fresh = createTechnicienClient({ baseUrl, credentials: { login: 'tech', password }, ...recorded });
    expectData(await fresh.grantClientAccess(grant));
    expect(contract.exchanges.map((exchange) => exchange.operationId)).toEqual(['authenticate', 'grantClientAccess']);
  });

  it('updateTechnicien sends the vendor example as a GET body, and Prism finds it valid', async () => {
    const data = expectData(await client.updateTechnicien(vendorBody, { customerId: 123 }));
    expect(data).toEqual(responseExamples('updateTechnicien', 200)[0]?.value);
  });

  it('updateTechnicien without customerId (single-client user) is valid too', async () => {
    expectData(await client.updateTechnicien(vendorBody));
  });
});

describe('bad input: who refuses it, and the typed error the caller gets', () => {
  // Each request here breaks the contract on purpose: the validator must see what the mock refuses.
  const tokenHeader = { 'X-AUTH-TOKEN': 'a-token' };

  it('the mock refuses an impossible dateFin with the spec\'s 400, naming it in sl-violations', async () => {
    const query = { emails: 'tech1@example.com', codeExploitant: 'EXP01', dateFin: '2026-02-30' };
    const { result, requestViolations } = await contract.invalid(() =>
      toResult('grantClientAccess', [], () =>
        client.http.POST('/restapi/technicien/grant-client-access', { params: { query }, headers: tokenHeader }),
      ),
    );
    expect(result.error).toMatchObject({ kind: 'http', status: 400 });
    expect(result.error?.body).toEqual(responseExamples('grantClientAccess', 400)[0]?.value);
    expect(result.response?.headers.get('sl-violations')).toMatch(/datefin/i); // Prism matches query names case-insensitively and reports them lower-cased
    expect(requestViolations).toContainEqual(expect.objectContaining({ location: 'query', field: 'dateFin' }));
  });

  it('the client refuses it first, sending nothing', async () => {
    const result = await client.grantClientAccess({ ...grant, dateFin: '2026-02-30' });
    expect(result.error).toMatchObject({ kind: 'invalid-input', status: 0 });
    expect(contract.exchanges).toEqual([]);
  });

  it('the mock refuses a non-numeric customerId (400)', async () => {
    const { result, requestViolations } = await contract.invalid(() => client.updateTechnicien(vendorBody, { customerId: 'abc' as never }));
    expect(result.error).toMatchObject({ kind: 'http', status: 400, operation: 'updateTechnicien' });
    expect(result.response?.headers.get('sl-violations')).toMatch(/customerid/i);
    expect(requestViolations).toContainEqual(expect.objectContaining({ location: 'query', field: 'customerId' }));
  });

  it('the mock reads the GET body and refuses one that breaks the schema (400)', async () => {
    const { result, requestViolations } = await contract.invalid(() =>
      client.updateTechnicien({ ...vendorBody, id: 'not-a-number' } as never, { customerId: 1 }),
    );
    expect(result.error).toMatchObject({ kind: 'http', status: 400, operation: 'updateTechnicien' });
    expect(result.response?.headers.get('sl-violations')).toMatch(/body.*id|id.*integer/i);
    expect(requestViolations).toContainEqual(expect.objectContaining({ location: 'body', field: '/id' }));
  });

  it('the mock refuses a missing token with the spec\'s 401', async () => {
    const tokenless = createTechnicienClient({
      baseUrl,
      token: 'a-token',
      fetch: (request) => {
        request.headers.delete('x-auth-token');
        return contract.fetch(request);
      },
    });
    const { result, requestViolations } = await contract.invalid(() => tokenless.grantClientAccess(grant));
    expect(result.error).toMatchObject({ kind: 'http', status: 401, operation: 'grantClientAccess' });
    expect(result.error?.body).toEqual(responseExamples('grantClientAccess', 401)[0]?.value);
    expect(requestViolations).toContainEqual(expect.objectContaining({ location: 'security', field: 'header X-AUTH-TOKEN' }));
  });

  it('the mock refuses a login without a password with the spec\'s 400', async () => {
    const { result, requestViolations } = await contract.invalid(() => client.authenticate('tech', undefined as never));
    expect(result.error).toMatchObject({ kind: 'http', operation: 'authenticate' });
    expect(result.error?.status).toBe(400); // the spec's assumption: the vendor documents no answer to invalid input
    expect(result.response?.headers.get('sl-violations')).toMatch(/password/);
    expect(requestViolations).toContainEqual(expect.objectContaining({ location: 'body', field: '/password' }));
  });
});
