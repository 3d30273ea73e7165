import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startLocalServer, type LocalServer } from '../../../tools/testing/local-server.mjs';
import {
  createTakeControlClient,
  undiciTransport,
  type BulkCreateOptions,
  type BulkCreateReport,
  type BulkProgress,
  type TakeControlClientOptions,
  type TechnicianCreate,
} from './node.js';

// Bulk onboarding against a real local server whose /tech/bulk answers each batch as the test says: it
// records every batch it receives, so a test can check what was sent as well as what was reported.
const integrationKey = 'tc-bulk-key-6b0d93a1f2';
let server: LocalServer;
let batches: string[][] = [];
/** Each batch's `Sec-Fetch-Mode`: WHATWG fetch always sends one, undici's `request()` none. */
let fetchModes: (string | undefined)[] = [];
type Answer = { status: number; body: unknown; headers?: Record<string, string> } | 'drop';
let answer: (emails: string[], batch: number) => Answer = () => 'drop';

beforeAll(async () => {
  server = await startLocalServer((request, response) => {
    const emails = (JSON.parse(request.body) as { email: string }[]).map((technician) => technician.email);
    batches.push(emails);
    fetchModes.push(request.headers['sec-fetch-mode'] as string | undefined);
    const reply = answer(emails, batches.length);
    if (reply === 'drop') return void response.socket?.destroy();
    for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value);
    sendJson(response as ServerResponse, reply.status, reply.body);
  });
});
afterAll(() => server.close());
beforeEach(() => {
  batches = [];
  fetchModes = [];
});

const reports: BulkCreateReport[] = [];
const fast = { baseDelayMs: 1, maxDelayMs: 5 };
async function onboard(technicians: TechnicianCreate[], options: BulkCreateOptions = {}, clientOptions: Partial<TakeControlClientOptions> = {}) {
  const client = createTakeControlClient({ baseUrl: server.url, integrationKey, retry: fast, ...clientOptions });
  const report = await client.createTechnicians(technicians, options);
  reports.push(report);
  return report;
}

const technicians = (count: number, from = 0): TechnicianCreate[] =>
  Array.from({ length: count }, (_, index) => ({ email: `tech${from + index}@example.com`, name: `Tech ${from + index}` }));
/** The vendor's success: one `{result: SUCCESS}` per email of the batch. */
const allCreated = (emails: string[]): Answer => ({
  status: 200,
  body: { result: 'SUCCESS', details: { technicians: Object.fromEntries(emails.map((email) => [email, { result: 'SUCCESS' }])) } },
});

describe('createTechnicians in batches', () => {
  it('sends any number in batches of batchSize, reports progress after each, and reports every one created', async () => {
    answer = allCreated;
    const progress: BulkProgress[] = [];
    const input = technicians(250);
    const report = await onboard(input, { batchSize: 100, onProgress: (step) => progress.push(step) });
    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(batches.flat()).toEqual(input.map((technician) => technician.email));
    expect(report.created).toEqual(input.map((technician) => technician.email));
    expect(report.failed).toEqual([]);
    expect(report.results).toHaveLength(250);
    expect(progress).toEqual([
      { done: 100, total: 250, created: 100, failed: 0, batch: 1, batches: 3 },
      { done: 200, total: 250, created: 200, failed: 0, batch: 2, batches: 3 },
      { done: 250, total: 250, created: 250, failed: 0, batch: 3, batches: 3 },
    ]);
  });

  it('sends batches of 100 by default', async () => {
    answer = allCreated;
    await onboard(technicians(101));
    expect(batches.map((batch) => batch.length)).toEqual([100, 1]);
  });

  it('a batch that fails as a whole marks each of its technicians failed with its error, and the others go on', async () => {
    answer = (emails, batch) => (batch === 2 ? { status: 500, body: { status: 500, message: 'Internal error' } } : allCreated(emails));
    const report = await onboard(technicians(6), { batchSize: 2 });
    expect(batches).toHaveLength(3); // a POST is not retried on a 500: the server may have created them
    expect(report.created).toEqual(['tech0@example.com', 'tech1@example.com', 'tech4@example.com', 'tech5@example.com']);
    expect(report.failed.map(({ email, reason }) => ({ email, reason }))).toEqual([
      { email: 'tech2@example.com', reason: 'Internal error' },
      { email: 'tech3@example.com', reason: 'Internal error' },
    ]);
    expect(report.failed[0]?.error).toMatchObject({ kind: 'http', status: 500, operation: 'createTechnicians' });
  });

  it('a batch answered 429 is sent again after Retry-After, and nothing is lost', async () => {
    let refused = false;
    answer = (emails) => {
      if (refused) return allCreated(emails);
      refused = true;
      return { status: 429, body: { status: 429, message: 'Too many requests' }, headers: { 'retry-after': '0' } };
    };
    const report = await onboard(technicians(3), { batchSize: 2 });
    expect(batches.map((batch) => batch.length)).toEqual([2, 2, 1]);
    expect(report.created).toHaveLength(3);
  });

  it('a batch still refused with 429 once retries are spent fails with the typed 429', async () => {
    answer = () => ({ status: 429, body: { status: 429, message: 'Too many requests' } });
    const report = await onboard(technicians(2), { retry: { ...fast, attempts: 2 } });
    expect(batches).toHaveLength(2);
    expect(report.failed.map((failure) => failure.error?.status)).toEqual([429, 429]);
    expect(report.failed[0]?.reason).toBe('Too many requests');
  });

  it('a connection that drops fails its batch as a network error', async () => {
    answer = () => 'drop';
    const report = await onboard(technicians(2));
    expect(report.failed.map((failure) => failure.error?.kind)).toEqual(['network', 'network']);
  });

  it('an email missing from the response is failed as such; an entry that is not a success gives its reason', async () => {
    answer = ([first, , third]) => ({
      status: 200,
      body: {
        result: 'PARTIAL',
        details: {
          technicians: {
            [String(first)]: { result: 'SUCCESS' },
            [String(third)]: { result: 'FAILURE', message: 'Email already exists' },
          },
        },
      },
    });
    const report = await onboard(technicians(3));
    expect(report.results).toEqual([
      { email: 'tech0@example.com', created: true, result: { result: 'SUCCESS' } },
      { email: 'tech1@example.com', created: false, reason: "missing from the server's response" },
      {
        email: 'tech2@example.com',
        created: false,
        reason: 'Email already exists',
        result: { result: 'FAILURE', message: 'Email already exists' },
      },
    ]);
  });

  it('a 200 whose body has no per-email results fails every email of the batch as missing', async () => {
    answer = () => ({ status: 200, body: { result: 'SUCCESS', details: {} } });
    const report = await onboard(technicians(2));
    expect(report.failed.map((failure) => failure.reason)).toEqual([
      "missing from the server's response",
      "missing from the server's response",
    ]);
  });

  it('matches the server’s keys ignoring case', async () => {
    answer = (emails) => allCreated(emails.map((email) => email.toLowerCase()));
    const report = await onboard([{ email: 'Jane.Doe@Example.com', name: 'Jane' }]);
    expect(report.created).toEqual(['Jane.Doe@Example.com']);
  });

  it('sends a duplicate email once and reports each later copy as a duplicate', async () => {
    answer = allCreated;
    const report = await onboard([
      { email: 'a@example.com', name: 'A' },
      { email: 'b@example.com', name: 'B' },
      { email: 'A@example.com', name: 'A again' },
    ]);
    expect(batches).toEqual([['a@example.com', 'b@example.com']]);
    expect(report.created).toEqual(['a@example.com', 'b@example.com']);
    expect(report.failed).toEqual([
      {
        email: 'A@example.com',
        created: false,
        reason: 'duplicate of technicians[0] (same email, ignoring case), which is sent instead',
      },
    ]);
  });

  it('an abort stops the remaining batches, each of their technicians failed as aborted', async () => {
    answer = allCreated;
    const controller = new AbortController();
    const report = await onboard(technicians(5), { batchSize: 2, signal: controller.signal, onProgress: () => controller.abort() });
    expect(batches).toHaveLength(1);
    expect(report.created).toEqual(['tech0@example.com', 'tech1@example.com']);
    expect(report.failed.map((failure) => [failure.email, failure.error?.kind])).toEqual([
      ['tech2@example.com', 'aborted'],
      ['tech3@example.com', 'aborted'],
      ['tech4@example.com', 'aborted'],
    ]);
  });

  it('a batch past its timeout fails as `timeout`, and its POST is never sent again: the server counted one request', async () => {
    answer = () => ({ status: 200, body: {} });
    let received = 0;
    const hanging = await startLocalServer(() => void received++);
    try {
      const client = createTakeControlClient({ baseUrl: hanging.url, integrationKey, timeoutMs: 50, retry: { ...fast, attempts: 3 } });
      const report = await client.createTechnicians(technicians(1));
      reports.push(report);
      expect(report.failed[0]?.error).toMatchObject({ kind: 'timeout', status: 0, attempts: 1 });
      // Counted once the server has read the request, which can be after the client gave up.
      for (const deadline = Date.now() + 5_000; received === 0 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(received).toBe(1);
    } finally {
      await hanging.close();
    }
  });

  it('an invalid batchSize is refused before anything is sent', async () => {
    const report = await onboard(technicians(1), { batchSize: 0 });
    expect(report.error).toMatchObject({ kind: 'invalid-input', message: 'batchSize must be a whole number of at least 1, got 0' });
    expect(batches).toEqual([]);
  });

  it('works the same through the undici transport', async () => {
    answer = (emails, batch) => (batch === 1 ? { status: 503, body: { message: 'Busy' } } : allCreated(emails));
    const report = await onboard(technicians(3), { batchSize: 2 }, { transport: undiciTransport() });
    expect(report.failed.map((failure) => failure.reason)).toEqual(['Busy', 'Busy']);
    expect(report.created).toEqual(['tech2@example.com']);
    // The server saw undici's requests, not fetch's.
    expect(fetchModes).toEqual([undefined, undefined]);
  });
});

describe('the other methods, against a misbehaving server', () => {
  it('setTechnicianStatus (a PUT, idempotent) is retried on a 503; createTechnician (a POST) is not', async () => {
    let calls = 0;
    const flaky = await startLocalServer((_request, response) => {
      calls++;
      if (calls % 2 === 1) return sendJson(response, 503, { status: 503, message: 'Service unavailable' });
      sendJson(response, 200, { result: 'SUCCESS', details: {}, errorDetails: null });
    });
    try {
      const tc = createTakeControlClient({ baseUrl: flaky.url, integrationKey, retry: fast });
      expect((await tc.setTechnicianStatus('john.doe@example.com', 'disabled')).data?.result).toBe('SUCCESS');
      expect(calls).toBe(2);
      const created = await tc.createTechnician({ email: 'john.doe@example.com', name: 'John Doe' });
      expect(created.error).toMatchObject({ kind: 'http', status: 503, message: 'Service unavailable', attempts: 1 });
      expect(calls).toBe(3);
      reports.push({ results: [], created: [], failed: [], ...(created.error ? { error: created.error } : {}) });
    } finally {
      await flaky.close();
    }
  });
});

describe('secrets', () => {
  it('no report or error holds the integration key', () => {
    expect(reports.flatMap((report) => report.failed).length).toBeGreaterThan(10);
    for (const report of reports) expect(JSON.stringify(report)).not.toContain(integrationKey);
  });
});
