// The bulk create refused as a whole, by the sandbox behaving as the vendor documents (no `Prefer`): a wrong
// key, no key, and a request past the rate limit. Through the real client and the contract recorder, so
// the coverage gate counts these statuses as reached by behaviour.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useContract } from '../../../tools/testing/vitest-contract.mjs';
import * as takeControl from '../../take-control/src/node.js';
import { startSandbox, type Sandbox } from './index.js';

const KEY = 'your-private-key';
const contract = useContract('take-control');
const batch = [
  { email: 'ana@example.com', name: 'Ana' },
  { email: 'bo@example.com', name: 'Bo' },
];
let sandbox: Sandbox;
let baseUrl: string;

beforeAll(async () => {
  sandbox = await startSandbox({ apis: ['take-control'], rateLimit: 1 });
  baseUrl = sandbox.urls['take-control'] as string;
});
afterAll(() => sandbox.close());

const stored = () => sandbox.state()['take-control']?.technicians ?? [];
const client = (integrationKey: string, fetch = contract.fetch) =>
  takeControl.createTakeControlClient({ baseUrl, integrationKey, fetch, retry: false });

it('a wrong key: every technician of the batch fails with the 403 "Invalid integration key", none is stored', async () => {
  sandbox.reset();
  const report = await client('not-the-key').createTechnicians(batch);
  expect(report.failed.map((failure) => [failure.email, failure.error?.status, failure.error?.message])).toEqual([
    ['ana@example.com', 403, 'Invalid integration key'],
    ['bo@example.com', 403, 'Invalid integration key'],
  ]);
  expect(stored()).toEqual([]);
});

it('no key: the spec 401 "Missing integration key", none is stored', async () => {
  sandbox.reset();
  const keyless = client(KEY, (request) => {
    request.headers.delete('authorization');
    return contract.fetch(request);
  });
  const { result } = await contract.invalid(() => keyless.createTechnicians(batch));
  expect(result.failed.map((failure) => failure.error?.status)).toEqual([401, 401]);
  expect(result.failed[0]?.error?.message).toBe('Missing integration key');
  expect(stored()).toEqual([]);
});

it('past the rate limit: the vendor 429 with Retry-After, and a refused batch is not stored', async () => {
  sandbox.reset();
  const retryAfter: (string | null)[] = [];
  const limited = client(KEY, async (request) => {
    const response = await contract.fetch(request);
    retryAfter.push(response.headers.get('retry-after'));
    return response;
  });
  // One request per second, in fixed windows of the sandbox clock: of three sent at once, two share a
  // window even if a busy machine makes them straddle a second, so at least one is refused.
  const reports = [];
  for (const technician of [...batch, { email: 'cy@example.com', name: 'Cy' }]) reports.push(await limited.createTechnicians([technician]));
  const refused = reports.filter((report) => report.failed.length > 0);
  expect(refused.length).toBeGreaterThanOrEqual(1);
  for (const report of refused) expect(report.failed[0]?.error).toMatchObject({ kind: 'http', status: 429 });
  const statuses = contract.exchanges.slice(-3).map((exchange) => exchange.status);
  expect(statuses.filter((status) => status === 429)).toHaveLength(refused.length);
  for (const [index, status] of statuses.entries()) {
    if (status === 429) expect(Number(retryAfter[index])).toBeGreaterThan(0);
    else expect(retryAfter[index]).toBeNull();
  }
  const created = reports.flatMap((report) => report.created);
  expect(stored().map((technician) => technician.email).sort()).toEqual(created.sort());
});
