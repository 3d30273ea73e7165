// The actions in-process, against the sandbox (its own server on a free port) through the real client and
// transport the CLI uses: how each answer of the server becomes an outcome for the sending stage.
import { startSandbox, type Sandbox } from '@techapi/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startLocalServer } from '../../../../tools/testing/local-server.mjs';
import { takeControl } from '../config.js';
import { UsageError } from '../errors.js';
import { createAction, statusAction, type SendContext } from './actions.js';
import { fingerprint } from './fingerprint.js';
import type { Item } from './items.js';

const KEY = 'actions-test-key';
let sandbox: Sandbox;
let url: string;
beforeAll(async () => {
  sandbox = await startSandbox({ apis: ['take-control'], port: 0, takeControl: { integrationKey: KEY } });
  url = sandbox.urls['take-control'] as string;
});
afterAll(() => sandbox?.close());
beforeEach(() => {
  sandbox.reset();
  sandbox.seed('take-control', { technicians: [{ email: 'there@example.com', name: 'There' }] });
});

/** The client as the CLI builds it (config.ts): from --base-url and TAKE_CONTROL_KEY, over undici. */
const client = (key = KEY, baseUrl = url) => takeControl({ baseUrl }, { TAKE_CONTROL_KEY: key }).client;
const items = (...emails: string[]): Item[] =>
  emails.map((email, index) => {
    const fields = { email, name: `Name ${index}` };
    return { row: { line: index + 2, fields, problems: [], original: [] }, email, key: email, fields, fingerprint: fingerprint(fields) };
  });
function context(signal = new AbortController().signal) {
  const waits: number[] = [];
  const value: SendContext = { signal, onRateLimit: (ms) => void waits.push(ms) };
  return { value, waits };
}

describe('createAction (POST /tech/bulk)', () => {
  it('one request for the batch: each row done or refused with the server\'s reason, a 409 marked as existing', async () => {
    const action = createAction(client(), 100);
    expect([action.name, action.past, action.batchSize, action.inFlight]).toEqual(['create', 'created', 100, 1]);
    const outcome = await action.send(items('new1@example.com', 'there@example.com', 'new2@example.com'), context().value);
    expect(outcome).toEqual({
      kind: 'answered',
      items: [{ kind: 'done' }, { kind: 'refused', reason: expect.stringMatching(/already exists/i), exists: true }, { kind: 'done' }],
    });
    expect(sandbox.state()['take-control']?.technicians.map((technician) => technician.email).sort()).toEqual(['new1@example.com', 'new2@example.com', 'there@example.com']);
  });

  it('a batch the server refuses as a whole (a 400 for one bad row) is refused whole, with its status and message', async () => {
    const batch = items('new@example.com', 'bad@example.com');
    (batch[1] as Item).fields = { email: 'bad@example.com' }; // no name: the spec requires one
    const outcome = await createAction(client(), 100).send(batch, context().value);
    expect(outcome).toMatchObject({ kind: 'refused-whole', error: { status: 400, message: expect.stringContaining('name') } });
    expect(sandbox.state()['take-control']?.technicians.map((technician) => technician.email)).toEqual(['there@example.com']);
  });

  it('a refused key stops the run (a usage error naming TAKE_CONTROL_KEY)', async () => {
    const sending = createAction(client('wrong-key'), 100).send(items('new@example.com'), context().value);
    await expect(sending).rejects.toThrow(UsageError);
    await expect(createAction(client('wrong-key'), 100).send(items('new@example.com'), context().value)).rejects.toThrow(/refused the integration key \(403: .*\): check TAKE_CONTROL_KEY or --key-file/);
  });

  it('a 503 is left unanswered (possibly done: the sending stage decides), after one attempt', async () => {
    sandbox.failNext('createTechnicians', 503);
    const outcome = await createAction(client(), 100).send(items('new@example.com'), context().value);
    expect(outcome).toMatchObject({ kind: 'unanswered', error: { status: 503 } });
    expect(sandbox.requests({ operationId: 'createTechnicians' }).map((entry) => entry.status)).toEqual([503]);
  });

  it('a 500, or an answer lost after the work was done (drop-after), is unanswered: possibly done', async () => {
    const failing = await startLocalServer((_request, response) => sendJson(response, 500, { status: 500, message: 'Internal error' }));
    try {
      const outcome = await createAction(client(KEY, failing.url), 100).send(items('new@example.com'), context().value);
      expect(outcome).toMatchObject({ kind: 'unanswered', error: { status: 500, message: 'Internal error' } });
    } finally {
      await failing.close();
    }
    sandbox.failNext('createTechnicians', 'drop-after');
    expect(await createAction(client(), 100).send(items('dropped@example.com'), context().value)).toMatchObject({ kind: 'unanswered', error: { kind: 'network' } });
    expect(sandbox.state()['take-control']?.technicians.map((technician) => technician.email)).toEqual(['there@example.com', 'dropped@example.com']);
  });

  it('a 429 is waited out as the server asks, told to the stage, and the request sent again', async () => {
    sandbox.failNext('createTechnicians', 429);
    const { value, waits } = context();
    const outcome = await createAction(client(), 100).send(items('new@example.com'), value);
    expect(outcome).toEqual({ kind: 'answered', items: [{ kind: 'done' }] });
    expect(waits).toEqual([1000]);
    expect(sandbox.requests({ operationId: 'createTechnicians' }).map((entry) => entry.status)).toEqual([429, 200]);
  });

  it('429s are waited out however many come in a row (the retry budget is for them only), then the rows are done', async () => {
    for (let i = 0; i < 3; i++) sandbox.failNext('createTechnicians', 429);
    const { value, waits } = context();
    expect(await createAction(client(), 100).send(items('patient@example.com'), value)).toEqual({ kind: 'answered', items: [{ kind: 'done' }] });
    expect(waits).toEqual([1000, 1000, 1000]);
    expect(sandbox.requests({ operationId: 'createTechnicians' }).map((entry) => entry.status)).toEqual([429, 429, 429, 200]);
  }, 10_000);

  it("rows the server's answer leaves out are sent again; a row it answers with another result is refused with its message", async () => {
    const server = await startLocalServer((request, response) => {
      const emails = (JSON.parse(request.body) as { email: string }[]).map((technician) => technician.email);
      const technicians = emails.includes('failed@example.com') ? { 'failed@example.com': { result: 'FAILED', message: 'Profile is locked' } } : {};
      sendJson(response, 200, { result: 'SUCCESS', details: { technicians } });
    });
    try {
      const action = createAction(client(KEY, server.url), 100);
      expect(await action.send(items('lost1@example.com', 'lost2@example.com'), context().value)).toEqual({ kind: 'answered', items: [{ kind: 'again' }, { kind: 'again' }] });
      expect(await action.send(items('lost@example.com', 'failed@example.com'), context().value)).toEqual({
        kind: 'answered',
        items: [{ kind: 'again' }, { kind: 'refused', reason: 'Profile is locked', exists: false }],
      });
    } finally {
      await server.close();
    }
  });

  it('an empty batch is a bug of the sending stage, not a refusal: it throws with the client\'s reason', async () => {
    await expect(createAction(client(), 100).send([], context().value)).rejects.toThrow(
      new Error('createTechnicians refused its input: technicians: give a list of at least one technician'),
    );
    expect(sandbox.requests()).toEqual([]);
  });

  it('aborted by the second Ctrl-C: unanswered, the request abandoned', async () => {
    sandbox.failNext('createTechnicians', 'latency=2000');
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    const outcome = await createAction(client(), 100).send(items('new@example.com'), context(abort.signal).value);
    expect(outcome).toMatchObject({ kind: 'unanswered', error: { kind: 'aborted' } });
  });
});

describe('statusAction (PUT /tech/{techUsername})', () => {
  it('one row a request, 8 in flight; done whether or not the technician was already in that state', async () => {
    const action = statusAction(client(), 'disabled');
    expect([action.name, action.past, action.batchSize, action.inFlight]).toEqual(['disable', 'disabled', 1, 8]);
    expect(await action.send(items('there@example.com'), context().value)).toEqual({ kind: 'answered', items: [{ kind: 'done' }] });
    expect(await action.send(items('there@example.com'), context().value)).toEqual({ kind: 'answered', items: [{ kind: 'done' }] });
    expect(sandbox.state()['take-control']?.technicians).toMatchObject([{ email: 'there@example.com', status: 'disabled' }]);
    expect([statusAction(client(), 'enabled').name, statusAction(client(), 'enabled').past]).toEqual(['enable', 'enabled']);
  });

  it('a 503 is left unanswered with its status after one attempt, though a PUT may be retried: send.ts decides, and no rate-limit wait is told', async () => {
    sandbox.failNext('setTechnicianStatus', 503);
    const { value, waits } = context();
    const outcome = await statusAction(client(), 'disabled').send(items('there@example.com'), value);
    expect(outcome).toMatchObject({ kind: 'unanswered', error: { kind: 'http', status: 503 } });
    expect(waits).toEqual([]);
    expect(sandbox.requests({ operationId: 'setTechnicianStatus' }).map((entry) => entry.status)).toEqual([503]);
  });

  it('an unknown technician is refused whole with the 404', async () => {
    const outcome = await statusAction(client(), 'enabled').send(items('nobody@example.com'), context().value);
    expect(outcome).toMatchObject({ kind: 'refused-whole', error: { status: 404 } });
  });
});
