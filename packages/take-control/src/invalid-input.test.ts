import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startLocalServer, type LocalServer } from '../../../tools/testing/local-server.mjs';
import { createTakeControlClient, type ApiResult, type BulkCreateReport } from './node.js';

// Input that cannot be put in a request, sent as plain JavaScript would (no types to refuse it): each call
// ends at once as `invalid-input`, after one attempt, its message naming the argument, and nothing reaches
// the server (a real one on loopback, which counts what it receives).
let server: LocalServer;
let received = 0;
beforeAll(async () => {
  server = await startLocalServer((_request, response) => {
    received++;
    sendJson(response, 200, { result: 'SUCCESS' });
  });
});
afterAll(() => server.close());
beforeEach(() => {
  received = 0;
});

/** The client as JavaScript sees it: any argument goes. Retries are generous, so that one attempt means none was made. */
const client = () =>
  createTakeControlClient({ baseUrl: server.url, integrationKey: 'key-invalid-input', retry: { attempts: 5, baseDelayMs: 1 } }) as unknown as Record<
    'createTechnician' | 'setTechnicianStatus',
    (...args: unknown[]) => Promise<ApiResult<unknown>>
  > & { createTechnicians: (...args: unknown[]) => Promise<BulkCreateReport> };

const technician = { email: 'john.doe@example.com', name: 'John Doe' };
const cycle: Record<string, unknown> = { ...technician };
cycle.self = cycle;

describe('a call that cannot be built is refused at once, named, never retried, nothing sent', () => {
  const cases: Array<[string, (c: ReturnType<typeof client>) => Promise<ApiResult<unknown>>, RegExp]> = [
    ['createTechnician: a BigInt in the body', (c) => c.createTechnician({ ...technician, id: 1n }), /^technician cannot be sent as JSON: .*BigInt/],
    ['createTechnician: a cycle in the body', (c) => c.createTechnician(cycle), /^technician cannot be sent as JSON: .*circular/i],
    ['createTechnician: no body', (c) => c.createTechnician(), /^technician must be an object, got undefined/],
    ['setTechnicianStatus: a number as techUsername', (c) => c.setTechnicianStatus(42, 'enabled'), /^techUsername must be a non-empty string, got a number \(42\)/],
    ['setTechnicianStatus: an object as techUsername', (c) => c.setTechnicianStatus({ email: 'a@example.com' }, 'enabled'), /^techUsername .* got an object/],
    ['setTechnicianStatus: no techUsername (the path would keep "{techUsername}")', (c) => c.setTechnicianStatus(undefined, 'enabled'), /^techUsername .* got undefined/],
    ['setTechnicianStatus: an empty techUsername (another path)', (c) => c.setTechnicianStatus('', 'enabled'), /^techUsername .* got an empty string/],
    ['setTechnicianStatus: a BigInt status', (c) => c.setTechnicianStatus('john.doe@example.com', 1n), /^status cannot be sent as JSON/],
  ];
  for (const [name, call, message] of cases) {
    it(name, async () => {
      const { data, error } = await call(client());
      expect(data).toBeUndefined();
      expect(error).toMatchObject({ kind: 'invalid-input', status: 0, attempts: 1 });
      expect(error?.message).toMatch(message);
      expect(received).toBe(0);
    });
  }

  it('createTechnicians: a batch JSON cannot hold fails each of its technicians as invalid-input, nothing sent', async () => {
    const report = await client().createTechnicians([technician, { email: 'jane@example.com', name: 'Jane', id: 2n }]);
    expect(report.created).toEqual([]);
    expect(report.failed.map((failure) => failure.error)).toEqual([
      expect.objectContaining({ kind: 'invalid-input', attempts: 1, message: expect.stringMatching(/^technicians cannot be sent as JSON/) }),
      expect.objectContaining({ kind: 'invalid-input', attempts: 1 }),
    ]);
    expect(received).toBe(0);
  });

  it('a valid call to the same server goes through: the server counts it', async () => {
    expect((await client().setTechnicianStatus('john.doe@example.com', 'enabled')).error).toBeUndefined();
    expect(received).toBe(1);
  });
});
