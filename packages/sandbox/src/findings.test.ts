// Findings, made by a deliberately naive client: raw fetch in a loop, which ignores Retry-After, sends a
// create again after it was settled, keeps an expired token and sends its key in the wrong form. Each
// finding names the requests involved, which the journal holds. (The project's clients make none: see
// journal.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, TOKEN_LIFETIME_MS, type Finding, type Sandbox } from './index.js';

const KEY = 'your-private-key';
const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sandbox) => sandbox.close()));
});

async function start(options: Parameters<typeof startSandbox>[0] = {}) {
  const sandbox = await startSandbox(options);
  open.push(sandbox);
  return sandbox;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const json = { 'content-type': 'application/json' };

/** The naive client's create: one POST, whatever came before. */
const create = (sandbox: Sandbox, email: string, authorization = `INTEGRATION-KEY ${KEY}`) =>
  fetch(`${sandbox.urls['take-control']}/tech`, { method: 'POST', headers: { ...json, authorization }, body: JSON.stringify({ email, name: 'Naive' }) });

/** Each finding's kind and requests, and the journal's (operationId, status) of those requests. */
function described(sandbox: Sandbox, findings: Finding[] = sandbox.findings()) {
  const bySeq = new Map(sandbox.requests().map((entry) => [entry.seq, entry]));
  return findings.map((finding) => ({ kind: finding.kind, requests: finding.requests.map((seq) => [seq, bySeq.get(seq)?.operationId, bySeq.get(seq)?.status]) }));
}

describe('a naive client is caught', () => {
  it('retrying before the Retry-After of a 429 ran out (a fixed 100 ms backoff, for a Retry-After of 1 s)', async () => {
    const sandbox = await start({ apis: ['take-control'] });
    sandbox.failNext('createTechnician', 429);
    for (const email of ['a@example.com', 'b@example.com']) {
      let response = await create(sandbox, email);
      while (response.status === 429) {
        await sleep(100);
        response = await create(sandbox, email);
      }
    }
    // The retry, and the next create too: any request with that key before the second is over.
    expect(described(sandbox)).toEqual([
      { kind: 'early-retry', requests: [[1, 'createTechnician', 429], [2, 'createTechnician', 200]] },
      { kind: 'early-retry', requests: [[1, 'createTechnician', 429], [3, 'createTechnician', 200]] },
    ]);
    const [finding] = sandbox.findings();
    expect(finding?.message).toMatch(/^request #2 \(createTechnician\) came \d+ ms before the Retry-After of the 429 answered to the same credential \(#1\) ran out/);
  });

  it('sending a create again after a 200 or a 409 settled it, one at a time or in a bulk', async () => {
    const sandbox = await start({ apis: ['take-control'] });
    expect((await create(sandbox, 'john@example.com')).status).toBe(200);
    expect((await create(sandbox, 'JOHN@example.com')).status).toBe(409);
    expect((await create(sandbox, 'john@example.com')).status).toBe(409);
    const bulk = await fetch(`${sandbox.urls['take-control']}/tech/bulk`, {
      method: 'POST',
      headers: { ...json, authorization: `INTEGRATION-KEY ${KEY}` },
      body: JSON.stringify([
        { email: 'new@example.com', name: 'New' },
        { email: 'john@example.com', name: 'John' },
      ]),
    });
    expect(bulk.status).toBe(200);
    expect((await create(sandbox, 'new@example.com')).status).toBe(409);
    expect(described(sandbox)).toEqual([
      { kind: 'repeated-create', requests: [[1, 'createTechnician', 200], [2, 'createTechnician', 409]] },
      { kind: 'repeated-create', requests: [[2, 'createTechnician', 409], [3, 'createTechnician', 409]] },
      { kind: 'repeated-create', requests: [[3, 'createTechnician', 409], [4, 'createTechnicians', 200]] },
      { kind: 'repeated-create', requests: [[4, 'createTechnicians', 200], [5, 'createTechnician', 409]] },
    ]);
    expect(sandbox.findings()[0]?.message).toBe(
      'request #2 (createTechnician) created again JOHN@example.com (settled by #1, 200): a 200 created it and a 409 says it exists, so a repeat can only conflict',
    );
  });

  it('sending again a token it was told had expired, with no login between', async () => {
    const sandbox = await start({ apis: ['technicien'] });
    const url = sandbox.urls.technicien as string;
    const login = await fetch(`${url}/restapi/auth/authenticate2`, { method: 'POST', headers: json, body: '{"login":"demo","password":"demo"}' });
    const { token } = (await login.json()) as { token: string };
    const grant = () => fetch(`${url}/restapi/technicien/grant-client-access?emails=tech1@example.com&codeExploitant=EXP01&dateFin=2026-12-31`, { method: 'POST', headers: { 'x-auth-token': token } });
    expect((await grant()).status).toBe(201);
    sandbox.advanceClock(TOKEN_LIFETIME_MS);
    expect((await grant()).status).toBe(401);
    await sleep(50); // its next job, a moment later: not a request that was already in flight
    expect((await grant()).status).toBe(401);
    expect(described(sandbox)).toEqual([
      {
        kind: 'expired-token-reused',
        requests: [
          [3, 'grantClientAccess', 401],
          [4, 'grantClientAccess', 401],
        ],
      },
    ]);
    // A login between: the old token sent again is no longer this finding.
    await fetch(`${url}/restapi/auth/authenticate2`, { method: 'POST', headers: json, body: '{"login":"demo","password":"demo"}' });
    await sleep(50);
    expect((await grant()).status).toBe(401);
    expect(sandbox.findings()).toHaveLength(1);
  });

  it('sending its key without the INTEGRATION-KEY prefix: bare, as Bearer, or in an INTEGRATION-KEY header', async () => {
    const sandbox = await start({ apis: ['take-control'] });
    const url = `${sandbox.urls['take-control']}/tech`;
    const body = JSON.stringify({ email: 'a@example.com', name: 'A' });
    const answers = [];
    // The last one is right: the prefix is taken in any case.
    for (const headers of [{ authorization: KEY }, { authorization: `Bearer ${KEY}` }, { 'integration-key': KEY }, { authorization: `integration-key ${KEY}` }] as Record<string, string>[]) {
      const response = await fetch(url, { method: 'POST', headers: { ...json, ...headers }, body });
      answers.push([response.status, ((await response.json()) as { message?: string }).message]);
    }
    expect(answers).toEqual([
      [403, 'Invalid integration key: send it as Authorization: INTEGRATION-KEY <key>'],
      [403, 'Invalid integration key: send it as Authorization: INTEGRATION-KEY <key>'],
      [401, 'Missing integration key: send it as Authorization: INTEGRATION-KEY <key>, not in an INTEGRATION-KEY header'],
      [200, undefined],
    ]);
    expect(sandbox.findings().map((finding) => [finding.kind, finding.requests, finding.message])).toEqual([
      ['key-without-prefix', [1], 'request #1 sent its key as Authorization: <key>: send it as Authorization: INTEGRATION-KEY <key>'],
      ['key-without-prefix', [2], 'request #2 sent its key as Authorization: Bearer <key>: send it as Authorization: INTEGRATION-KEY <key>'],
      ['key-without-prefix', [3], 'request #3 sent its key as INTEGRATION-KEY: <key> (a header of that name): send it as Authorization: INTEGRATION-KEY <key>'],
    ]);
  });
});

describe('findings', () => {
  it('are listed per API over HTTP, and cleared by reset', async () => {
    const sandbox = await start();
    await create(sandbox, 'a@example.com', KEY);
    await fetch(`${sandbox.urls.technicien}/__sandbox/requests`);
    const overHttp = async (api: 'take-control' | 'technicien') => (await (await fetch(`${sandbox.urls[api]}/__sandbox/findings`)).json()) as Finding[];
    const [finding] = await overHttp('take-control');
    expect(finding).toEqual({
      kind: 'key-without-prefix',
      api: 'take-control',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      message: 'request #1 sent its key as Authorization: <key>: send it as Authorization: INTEGRATION-KEY <key>',
      requests: [1],
    });
    expect(await overHttp('technicien')).toEqual([]);
    expect(sandbox.findings()).toEqual([finding]);
    sandbox.reset();
    expect(sandbox.findings()).toEqual([]);
    expect(await overHttp('take-control')).toEqual([]);
  });
});
