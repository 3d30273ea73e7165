// Take Control in the sandbox, through the real client and the contract recorder (every exchange checked
// against the spec, and counted for the coverage gate): the clients' contract scenarios, then the
// behaviour the Prism mock cannot show.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import driver from '../../../tools/testing/drivers/take-control.mjs';
import { callOperation, exampleScenarios } from '../../../tools/testing/scenarios.mjs';
import { useContract } from '../../../tools/testing/vitest-contract.mjs';
import * as takeControl from '../../take-control/src/node.js';
import { startSandbox, type Sandbox } from './index.js';

const KEY = 'your-private-key';
const contract = useContract('take-control');
let sandbox: Sandbox;
let baseUrl: string;
let client: takeControl.TakeControlClient;

beforeAll(async () => {
  sandbox = await startSandbox({ apis: ['take-control'] });
  baseUrl = sandbox.urls['take-control'] as string;
  client = takeControl.createTakeControlClient({ baseUrl, integrationKey: KEY, fetch: contract.fetch });
});
afterAll(() => sandbox.close());

const technicians = () => sandbox.state()['take-control']?.technicians ?? [];
const john = { email: 'john.doe@example.com', name: 'John Doe', profile: 'admin', language: 'de', timezone: 'Europe/Lisbon' };

describe('the contract scenarios (the spec examples, in order, on one state)', () => {
  beforeAll(() => sandbox.reset());
  it.each(exampleScenarios('take-control'))('$name gets a documented 2xx, without a violation', async ({ operationId, request }) => {
    const outcome = await callOperation(driver, driver.createClient(takeControl, { baseUrl, key: KEY, fetch: contract.fetch, wrapTransport: (t) => t }), operationId, request);
    expect(outcome.threw).toBeUndefined();
    expect(outcome.error).toBeUndefined();
    expect(contract.exchanges.map((exchange) => [exchange.operationId, exchange.status])).toEqual([[operationId, 200]]);
  });
});

describe('state', () => {
  beforeEach(() => sandbox.reset());

  it('a create is stored; the same email again, in any case, gets the vendor 409', async () => {
    expect((await client.createTechnician(john)).data).toEqual({ result: 'SUCCESS', details: {}, errorDetails: null });
    const again = await client.createTechnician({ ...john, email: 'John.Doe@Example.com' });
    expect(again.error).toMatchObject({ kind: 'http', status: 409, message: 'Email already exists', body: { status: 409, message: 'Email already exists' } });
    expect(technicians()).toEqual([expect.objectContaining({ email: 'john.doe@example.com', name: 'John Doe', profile: 'admin', status: 'enabled' })]);
  });

  it('disable, then enable: the state shows each status', async () => {
    await client.createTechnician(john);
    expect((await client.setTechnicianStatus(john.email, 'disabled')).error).toBeUndefined();
    expect(technicians()[0]?.status).toBe('disabled');
    expect((await client.setTechnicianStatus('JOHN.DOE@example.com', 'enabled')).error).toBeUndefined();
    expect(technicians()[0]?.status).toBe('enabled');
  });

  it('an unknown technician gets 404 (the spec assumption) and nothing is stored', async () => {
    const result = await client.setTechnicianStatus('nobody@example.com', 'disabled');
    expect(result.error).toMatchObject({ kind: 'http', status: 404, message: 'Technician not found' });
    expect(technicians()).toEqual([]);
  });

  it('reset empties the state and restores the seed; /__sandbox/state and /__sandbox/reset do the same over HTTP', async () => {
    const seeded = await startSandbox({ apis: ['take-control'], takeControl: { seed: { technicians: [{ email: 'first@example.com', name: 'First' }] } } });
    try {
      const url = seeded.urls['take-control'] as string;
      const seededClient = takeControl.createTakeControlClient({ baseUrl: url, integrationKey: KEY, fetch: contract.fetch });
      seeded.seed('take-control', { technicians: [{ email: 'later@example.com', name: 'Later', status: 'disabled' }] });
      await seededClient.createTechnician(john);
      const overHttp = await (await fetch(`${url}/__sandbox/state`)).json();
      expect(overHttp.technicians.map((technician: { email: string }) => technician.email)).toEqual(['first@example.com', 'later@example.com', 'john.doe@example.com']);
      expect((await fetch(`${url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
      expect(seeded.state()['take-control']?.technicians).toEqual([
        expect.objectContaining({ email: 'first@example.com', status: 'enabled' }),
        expect.objectContaining({ email: 'later@example.com', status: 'disabled' }),
      ]);
      // A seeded technician exists: creating it conflicts.
      expect((await seededClient.createTechnician({ email: 'later@example.com', name: 'Again' })).error?.status).toBe(409);
    } finally {
      await seeded.close();
    }
  });
});

describe('bulk', () => {
  beforeEach(() => sandbox.reset());
  const raw = (body: unknown) =>
    contract.fetch(new Request(`${baseUrl}/tech/bulk`, { method: 'POST', headers: { authorization: `INTEGRATION-KEY ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }));

  it('per item (the default): new emails are created, an existing or repeated one fails in its entry', async () => {
    await client.createTechnician({ email: 'old@example.com', name: 'Old' });
    const response = await raw([
      { email: 'new@example.com', name: 'New' },
      { email: 'old@example.com', name: 'Old again' },
      { email: 'twice@example.com', name: 'Twice' },
      { email: 'Twice@example.com', name: 'Twice, other case' },
      { email: 'twice@example.com', name: 'Twice, exactly' },
    ]);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      result: 'PARTIAL_SUCCESS',
      details: {
        technicians: {
          'new@example.com': { result: 'SUCCESS' },
          'old@example.com': { result: 'FAILURE', status: 409, message: 'Email already exists' },
          'twice@example.com': { result: 'SUCCESS', ignoredRepeats: 1 },
          'Twice@example.com': { result: 'FAILURE', status: 409, message: 'Email already exists' },
        },
      },
    });
    expect(technicians().map((technician) => [technician.email, technician.name])).toEqual([
      ['old@example.com', 'Old'],
      ['new@example.com', 'New'],
      ['twice@example.com', 'Twice'],
    ]);
  });

  it('per item, through the client: its report says which were created and why the others failed', async () => {
    await client.createTechnician({ email: 'old@example.com', name: 'Old' });
    const report = await client.createTechnicians([
      { email: 'new@example.com', name: 'New' },
      { email: 'old@example.com', name: 'Old again' },
      { email: 'NEW@example.com', name: 'Repeated' },
    ]);
    expect(report.created).toEqual(['new@example.com']);
    expect(report.failed.map((failure) => [failure.email, failure.reason])).toEqual([
      ['old@example.com', 'Email already exists'],
      ['NEW@example.com', expect.stringMatching(/^duplicate of technicians\[0\]/)],
    ]);
  });

  it('reject-batch: an existing email fails the whole request with the vendor 409, and nothing is created', async () => {
    const strict = await startSandbox({ apis: ['take-control'], takeControl: { bulkConflicts: 'reject-batch' } });
    try {
      const strictClient = takeControl.createTakeControlClient({ baseUrl: strict.urls['take-control'] as string, integrationKey: KEY, fetch: contract.fetch });
      await strictClient.createTechnician({ email: 'old@example.com', name: 'Old' });
      const report = await strictClient.createTechnicians([
        { email: 'new@example.com', name: 'New' },
        { email: 'old@example.com', name: 'Old again' },
      ]);
      expect(report.created).toEqual([]);
      expect(report.failed.map((failure) => failure.error?.status)).toEqual([409, 409]);
      expect(strict.state()['take-control']?.technicians.map((technician) => technician.email)).toEqual(['old@example.com']);
      // All new: created.
      expect((await strictClient.createTechnicians([{ email: 'a@example.com', name: 'A' }, { email: 'b@example.com', name: 'B' }])).created).toEqual(['a@example.com', 'b@example.com']);
    } finally {
      await strict.close();
    }
  });
});

describe('keys and bad input, in the vendor forms', () => {
  beforeEach(() => sandbox.reset());

  it('a wrong key gets 403 "Invalid integration key"; no key gets the spec 401', async () => {
    const wrong = takeControl.createTakeControlClient({ baseUrl, integrationKey: 'not-the-key', fetch: contract.fetch });
    expect((await wrong.createTechnician(john)).error).toMatchObject({ status: 403, message: 'Invalid integration key' });
    const keyless = takeControl.createTakeControlClient({
      baseUrl,
      integrationKey: KEY,
      fetch: (request) => {
        request.headers.delete('authorization');
        return contract.fetch(request);
      },
    });
    const { result } = await contract.invalid(() => keyless.setTechnicianStatus(john.email, 'disabled'));
    expect(result.error).toMatchObject({ status: 401, message: 'Missing integration key' });
    expect(technicians()).toEqual([]);
  });

  it('an invalid body gets the vendor 400 form, naming what is wrong', async () => {
    const { result, requestViolations } = await contract.invalid(() => client.createTechnician({ email: '', name: 'Nobody' }));
    expect(result.error).toMatchObject({ status: 400, message: 'Invalid request: Email must not be empty' });
    expect(requestViolations.length).toBeGreaterThan(0);
    const { result: badStatus } = await contract.invalid(() => client.setTechnicianStatus(john.email, 'paused' as never));
    expect(badStatus.error).toMatchObject({ status: 400, message: expect.stringMatching(/^Invalid request: body \/status must be equal to one of the allowed values/) });
    const notJson = await fetch(`${baseUrl}/tech`, { method: 'POST', headers: { authorization: `INTEGRATION-KEY ${KEY}`, 'content-type': 'text/plain' }, body: 'john' });
    expect([notJson.status, await notJson.json()]).toEqual([
      400,
      { status: 400, message: 'Invalid request: content-type "text/plain" is not documented (documented: application/json)' },
    ]);
    expect(technicians()).toEqual([]);
  });
});
