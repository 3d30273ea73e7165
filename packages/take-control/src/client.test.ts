import { describe, expect, it } from 'vitest';
import { mockUrl } from '../../../tools/testing/mock-url.mjs';
import { toResult } from '@techapi/client-core';
import { listOperations } from '../../../tools/testing/spec.mjs';
import { useContract } from '../../../tools/testing/vitest-contract.mjs';
import { createTakeControlClient, type ApiError, type ApiResult, type BulkCreateReport } from './index.js';

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

/** A one-technician bulk call's failure, in a method result's shape (a failed batch has no response). */
function batchError(report: BulkCreateReport): { data?: undefined; error: ApiError | undefined; response?: Response } {
  expect(report.failed).toHaveLength(1);
  return { error: report.failed[0]?.error };
}

function responseExample(operationId: string, status: number, name?: string): unknown {
  const examples = operations.get(operationId)?.responseExamples.get(status) ?? [];
  const example = name ? examples.find((candidate) => candidate.name === name) : examples[0];
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

describe('every spec example is replayed against the mock', () => {
  const cases = [...operations.values()].flatMap((operation) =>
    operation.requestExamples.map((example) => ({ operation, example })),
  );

  it.each(cases)('$operation.operationId request example "$example.name" gets the 200 example', async ({ operation, example }) => {
    const body = example.value as never;
    if (operation.operationId === 'createTechnicians') {
      // The bulk method reports per technician: the server's entries are the example's.
      const report = await client.createTechnicians(body);
      expect(report.failed).toEqual([]);
      const entries = Object.fromEntries(report.results.map((outcome) => [outcome.email, outcome.result]));
      expect({ result: 'SUCCESS', details: { technicians: entries } }).toEqual(responseExample(operation.operationId, 200));
      return;
    }
    const result =
      operation.operationId === 'createTechnician'
        ? await client.createTechnician(body)
        : await client.setTechnicianStatus('john.doe@example.com', (example.value as { status: 'disabled' }).status);
    expect(expectData(result)).toEqual(responseExample(operation.operationId, 200));
  });

  const errorCases = [...operations.values()].flatMap((operation) =>
    [...operation.responseExamples.entries()]
      .filter(([status]) => status >= 400)
      .flatMap(([status, examples]) => examples.map((example) => ({ operation, status, example }))),
  );

  it.each(errorCases)(
    '$operation.operationId answers $status with the "$example.name" example as a typed error',
    async ({ operation, status, example }) => {
      // The mock answers every retry alike: one attempt is enough to see the error.
      const init = { headers: { Prefer: `code=${status}, example=${example.name}` }, retry: false as const };
      const result =
        operation.operationId === 'createTechnician'
          ? await client.createTechnician(john, init)
          : operation.operationId === 'createTechnicians'
            ? batchError(await client.createTechnicians([john], init))
            : await client.setTechnicianStatus('john.doe@example.com', 'enabled', init);
      const value = example.value as { status: number; message: string };
      expect(result.data).toBeUndefined();
      expect(result.error).toMatchObject({ kind: 'http', operation: operation.operationId, status, message: value.message });
      expect(result.error?.body).toEqual(value);
      if (status === 429 && operation.operationId !== 'createTechnicians') expect(result.response?.status).toBe(429);
    },
  );
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
    expect(await client.createTechnicians([])).toEqual({
      results: [],
      created: [],
      failed: [],
      error: { kind: 'invalid-input', operation: 'createTechnicians', status: 0, message: 'technicians: give at least one technician' },
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

  it("a missing key gets the mock's 401 problem+json, as a typed error with its message", async () => {
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
    expect(result.error?.message).toMatch(/^Invalid security scheme used/);
    expect(requestViolations).toContainEqual(expect.objectContaining({ location: 'security', field: 'header Authorization' }));
  });

  it('an empty key is refused when the client is created', () => {
    expect(() => createTakeControlClient({ baseUrl, integrationKey: '' })).toThrow(/integrationKey is required/);
  });

  it('an unreachable server gives a network error without the key', async () => {
    const offline = createTakeControlClient({ baseUrl: 'http://127.0.0.1:9', integrationKey, fetch: contract.fetch });
    const result = await offline.createTechnician(john);
    expect(result.error).toMatchObject({ kind: 'network', status: 0, operation: 'createTechnician' });
    expect(result.error?.message).toMatch(/ECONNREFUSED|fetch failed/);
    expect(JSON.stringify(result.error)).not.toContain(integrationKey);
  });
});
