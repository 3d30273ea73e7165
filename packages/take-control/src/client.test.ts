import { describe, expect, it } from 'vitest';
import { freePort } from '../../../tools/mock-server.mjs';
import { mockUrl } from '../../../tools/testing/mock-url.mjs';
import { toResult } from '@techapi/client-core';
import { listOperations } from '../../../tools/testing/spec.mjs';
import { useContract } from '../../../tools/testing/vitest-contract.mjs';
import { createTakeControlClient, type ApiResult } from './index.js';

const baseUrl = mockUrl('take-control');
const integrationKey = 'tc-test-key-3f9a2c71e4b8';
// Every exchange goes through the contract recorder: checked against the spec, counted for coverage.
const contract = useContract('take-control');
const client = createTakeControlClient({ baseUrl, integrationKey, fetch: contract.fetch });
const operations = new Map(listOperations('take-control').map((operation) => [operation.operationId, operation]));

const john = { email: 'john.doe@example.com', name: 'John Doe', profile: 'admin', language: 'de', timezone: 'Europe/Lisbon' };

/** Asserts success, that Prism saw no contract violation, and returns the data. */
function expectData<T>(result: ApiResult<T>): T {
  expect(result.error).toBeUndefined();
  expect(result.response?.headers.get('sl-violations')).toBeNull();
  return result.data as T;
}

function responseExample(operationId: string, status: number): unknown {
  const example = operations.get(operationId)?.responseExamples.get(status)?.[0];
  if (!example) throw new Error(`no ${status} example for ${operationId}`);
  return example.value;
}

describe('operations, through the typed client against the mock', () => {
  it('createTechnician returns the success envelope', async () => {
    const data = expectData(await client.createTechnician(john));
    expect(data).toEqual({ result: 'SUCCESS', details: {}, errorDetails: null });
  });

  it('createTechnician accepts the required fields alone', async () => {
    const data = expectData(await client.createTechnician({ email: 'jane@example.com', name: 'Jane' }));
    expect(data.result).toBe('SUCCESS');
  });

  it('createTechnicians reports each technician created, with the server\'s entry', async () => {
    const report = await client.createTechnicians([
      { email: 'tech1@example.com', name: 'Tech One', profile: 'admin', language: 'en' },
      { email: 'tech2@example.com', name: 'Tech Two', profile: 'support', language: 'fr' },
    ]);
    expect(report.failed).toEqual([]);
    expect(report.created).toEqual(['tech1@example.com', 'tech2@example.com']);
    expect(report.results[0]).toEqual({ email: 'tech1@example.com', created: true, result: { result: 'SUCCESS' } });
  });

  it.each(['enabled', 'disabled'] as const)('setTechnicianStatus sets %s', async (status) => {
    const data = expectData(await client.setTechnicianStatus('john.doe@example.com', status));
    expect(data).toEqual({ result: 'SUCCESS', details: {}, errorDetails: null });
  });

  it('sends the key as `Authorization: INTEGRATION-KEY <key>`', async () => {
    const seen: Request[] = [];
    const spy = createTakeControlClient({
      baseUrl,
      integrationKey,
      fetch: (request) => {
        seen.push(request.clone());
        return contract.fetch(request);
      },
    });
    expectData(await spy.createTechnician(john));
    expect(seen[0]?.headers.get('authorization')).toBe(`INTEGRATION-KEY ${integrationKey}`);
    expect(seen[0]?.headers.get('content-type')).toBe('application/json');
  });
});

describe('the bulk example, replayed against the mock', () => {
  // The other request examples are replayed with the other operations in contract.test.ts; the bulk method
  // resolves with a report, whose per-technician entries must be the example response's.
  const bulk = operations.get('createTechnicians');
  it.each(bulk?.requestExamples ?? [])('request example "$name" gets the 200 example', async (example) => {
    const report = await client.createTechnicians(example.value as never);
    expect(report.failed).toEqual([]);
    const entries = Object.fromEntries(report.results.map((outcome) => [outcome.email, outcome.result]));
    expect({ result: 'SUCCESS', details: { technicians: entries } }).toEqual(responseExample('createTechnicians', 200));
  });
});

describe('bad input gets a clear 4xx and a typed error, never a throw', () => {
  // Each request sent here breaks the contract on purpose: the validator must see what the mock refuses.
  it('an empty email gets the 400 example from the mock', async () => {
    const { result, requestViolations } = await contract.invalid(() => client.createTechnician({ email: '', name: 'No Mail' }));
    expect(result.error).toMatchObject({ kind: 'http', status: 400, message: 'Invalid request: Email must not be empty' });
    expect(result.response?.headers.get('sl-violations')).toContain('email');
    expect(requestViolations).toContainEqual(expect.objectContaining({ location: 'body', field: '/email' }));
  });

  it('a missing email gets the 400 example', async () => {
    const { result, requestViolations } = await contract.invalid(() => client.createTechnician({ name: 'No Mail' } as never));
    expect(result.error).toMatchObject({ status: 400, message: 'Invalid request: Email must not be empty' });
    expect(requestViolations).toContainEqual(expect.objectContaining({ field: '/email', message: "must have required property 'email'" }));
  });

  it('an empty bulk list is refused before anything is sent', async () => {
    const report = await client.createTechnicians([]);
    expect(contract.exchanges).toEqual([]);
    expect(report).toEqual({
      results: [],
      created: [],
      failed: [],
      error: { kind: 'invalid-input', operation: 'createTechnicians', status: 0, message: 'technicians: give a list of at least one technician' },
    });
  });

  it('a bulk list with an invalid email fails its batch with the 400, for each of its technicians', async () => {
    const { result: report, requestViolations } = await contract.invalid(() =>
      client.createTechnicians([john, { email: '', name: 'No Mail' }]),
    );
    expect(requestViolations).toContainEqual(expect.objectContaining({ location: 'body', field: '/1/email' }));
    expect(report.created).toEqual([]);
    expect(report.failed.map((failure) => [failure.email, failure.reason])).toEqual([
      [john.email, 'Invalid request: Email must not be empty'],
      ['', 'Invalid request: Email must not be empty'],
    ]);
    expect(report.failed[0]?.error).toMatchObject({ kind: 'http', status: 400, operation: 'createTechnicians' });
  });

  it('a wrong status value gets 400', async () => {
    const { result, requestViolations } = await contract.invalid(() =>
      client.setTechnicianStatus('john.doe@example.com', 'paused' as never),
    );
    expect(result.error).toMatchObject({ kind: 'http', status: 400 });
    expect(result.response?.headers.get('sl-violations')).toContain('status');
    expect(requestViolations).toContainEqual(expect.objectContaining({ location: 'body', field: '/status' }));
  });

  it('a techUsername that is not an email gets 400', async () => {
    const { result, requestViolations } = await contract.invalid(() => client.setTechnicianStatus('not-an-email', 'enabled'));
    expect(result.error).toMatchObject({ kind: 'http', status: 400 });
    expect(requestViolations).toContainEqual(expect.objectContaining({ location: 'path', field: 'techUsername' }));
  });

  it("a malformed JSON body gets Prism's 400 invalid_json, as a typed error with its message", async () => {
    const { result, requestViolations } = await contract.invalid(() =>
      toResult('createTechnician', [integrationKey], () =>
        client.http.POST('/tech', { body: john, bodySerializer: () => '{"email": "john.doe@' }),
      ),
    );
    expect(result.error).toMatchObject({ kind: 'http', status: 400, message: 'Invalid JSON' });
    expect(result.error?.body).toEqual({ error: { code: 'invalid_json', message: 'Invalid JSON' } });
    expect(requestViolations).toContainEqual(expect.objectContaining({ location: 'body', message: 'is not valid JSON' }));
  });

  it('an unknown path gets 404', async () => {
    const { result, requestViolations } = await contract.invalid(() => client.http.GET('/tech/unknown/path' as never));
    expect(result.response.status).toBe(404);
    expect(requestViolations).toContainEqual(expect.objectContaining({ operationId: '(none)', location: 'path' }));
  });

  it("a missing key gets the spec's 401 (served by the mock), as a typed error with its message", async () => {
    const keyless = createTakeControlClient({
      baseUrl,
      integrationKey,
      fetch: (request) => {
        request.headers.delete('authorization');
        return contract.fetch(request);
      },
    });
    const { result, requestViolations } = await contract.invalid(() => keyless.createTechnician(john));
    expect(result.error).toMatchObject({ kind: 'http', status: 401 });
    expect(result.error?.message).toBe('Missing integration key');
    expect(requestViolations).toContainEqual(expect.objectContaining({ location: 'security', field: 'header Authorization' }));
  });

  it('an empty key is refused when the client is created', () => {
    expect(() => createTakeControlClient({ baseUrl, integrationKey: '' })).toThrow(/integrationKey is required/);
  });

  it('an unreachable server gives a network error without the key', async () => {
    const offline = createTakeControlClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, integrationKey, fetch: contract.fetch });
    const result = await offline.createTechnician(john);
    expect(result.error).toMatchObject({ kind: 'network', status: 0, operation: 'createTechnician' });
    expect(result.error?.message).toMatch(/ECONNREFUSED|fetch failed/);
    expect(JSON.stringify(result.error)).not.toContain(integrationKey);
  });
});
