import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startLocalServer, type LocalServer } from '../../../tools/testing/local-server.mjs';
import { createTechnicienClient, undiciTransport, type ApiError, type ApiResult, type TechnicienClientOptions } from './node.js';

// The shared runtime's resilience, through this client: a real local server that logs in properly and then
// misbehaves on purpose on the operation a test names. Every error is kept and checked for secrets at the end.
const password = 'pw-resilience-4c7e1b9d';
let server: LocalServer;
let tokens = 0;
const issued: string[] = [];
const hits = new Map<string, number>();
/** Each request's `Sec-Fetch-Mode`: WHATWG fetch always sends one, undici's `request()` none. */
const fetchModes: (string | undefined)[] = [];
type Misbehaviour = 'busy-once' | 'unavailable-once' | 'hang' | 'not-json' | 'huge' | 'echo-secrets' | undefined;
let misbehave: Misbehaviour;
let loginAnswer: 'ok' | 'not-json' = 'ok';

beforeAll(async () => {
  server = await startLocalServer((request, response) => {
    const path = request.url.pathname;
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    fetchModes.push(request.headers['sec-fetch-mode'] as string | undefined);
    if (path === '/restapi/auth/authenticate2') {
      if (loginAnswer === 'not-json') return void response.writeHead(200, { 'content-type': 'application/json' }).end('<html>SSO</html>');
      const token = `tok-${++tokens}-0e6a5f`;
      issued.push(token);
      return sendJson(response, 200, { additionalAccountData: {}, passwordExpirationRemainingDays: 30, token });
    }
    switch (misbehave) {
      case 'busy-once':
        if (hit === 1) return void response.writeHead(429, { 'retry-after': '0' }).end();
        break;
      case 'unavailable-once':
        if (hit === 1) return sendJson(response, 503, { message: 'Maintenance' });
        break;
      case 'hang':
        return;
      case 'not-json':
        return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"id": 42,');
      case 'huge':
        return void response.writeHead(200, { 'content-length': String(64 * 1024 * 1024) }).write('{');
      case 'echo-secrets':
        return sendJson(response, 403, { message: `Refused token ${request.headers['x-auth-token']} (password ${password})` });
    }
    sendJson(response, 200, path.endsWith('/update') ? JSON.parse(request.body) : {});
  });
});
afterAll(() => server.close());
beforeEach(() => {
  hits.clear();
  fetchModes.length = 0;
  misbehave = undefined;
  loginAnswer = 'ok';
});

const errors: ApiError[] = [];
function keep<T>(result: ApiResult<T>): ApiResult<T> {
  if (result.error) errors.push(result.error);
  return result;
}

const fast = { baseDelayMs: 1, maxDelayMs: 5 };
const client = (options: Partial<TechnicienClientOptions> = {}) =>
  createTechnicienClient({ baseUrl: server.url, credentials: { login: 'tech', password }, retry: fast, ...options } as TechnicienClientOptions);
const grant = { emails: ['a@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' };
const technicien = { id: 42, idUtilisateur: 7 };
const GRANT = '/restapi/technicien/grant-client-access';
const UPDATE = '/restapi/technicien/update';

describe('the technicien client against a misbehaving server', () => {
  it('a 429 is retried after Retry-After, even for the POST grant, without logging in again', async () => {
    misbehave = 'busy-once';
    expect(keep(await client().grantClientAccess(grant)).error).toBeUndefined();
    expect(hits.get(GRANT)).toBe(2);
    expect(hits.get('/restapi/auth/authenticate2')).toBe(1);
  });

  it('a 503 on updateTechnicien (a GET) is retried; on grantClientAccess (a POST) it is returned', async () => {
    misbehave = 'unavailable-once';
    expect(keep(await client().updateTechnicien(technicien, { customerId: 1 })).data).toEqual(technicien);
    expect(hits.get(UPDATE)).toBe(2);
    const result = keep(await client().grantClientAccess(grant));
    expect(result.error).toMatchObject({ kind: 'http', status: 503, message: 'Maintenance', attempts: 1 });
  });

  it('a call past its timeout is `timeout`, the POST grant never sent again; a per-call timeout overrides the client default', async () => {
    misbehave = 'hang';
    const timedOut = keep(await client({ timeoutMs: 40, retry: { ...fast, attempts: 3 } }).grantClientAccess(grant));
    expect(timedOut.error).toMatchObject({ kind: 'timeout', attempts: 1 });
    // Counted by the server (once it has read the request, which can be after the client gave up).
    for (const deadline = Date.now() + 5_000; !hits.get(GRANT) && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(hits.get(GRANT)).toBe(1);
    const perCall = keep(await client({ timeoutMs: 60_000 }).updateTechnicien(technicien, { customerId: 1, timeoutMs: 40, retry: false }));
    expect(perCall.error).toMatchObject({ kind: 'timeout', operation: 'updateTechnicien' });
  });

  it("the caller's signal ends the call as `aborted`", async () => {
    misbehave = 'hang';
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const result = keep(await client().grantClientAccess(grant, { signal: controller.signal }));
    expect(result.error).toMatchObject({ kind: 'aborted', operation: 'grantClientAccess' });
  });

  it('a truncated JSON body and an oversized one are `invalid-response`', async () => {
    misbehave = 'not-json';
    expect(keep(await client().updateTechnicien(technicien, { customerId: 1 })).error).toMatchObject({ kind: 'invalid-response' });
    misbehave = 'huge';
    const huge = keep(await client({ maxBodyBytes: 1024 }).updateTechnicien(technicien, { customerId: 1 }));
    expect(huge.error?.message).toMatch(/more than the 1024 bytes allowed/);
  });

  it('a login answered with something that is not JSON fails the call with a typed error', async () => {
    loginAnswer = 'not-json';
    const result = keep(await client().grantClientAccess(grant));
    expect(result.error).toMatchObject({ kind: 'invalid-response' });
    expect(hits.get(GRANT)).toBeUndefined();
  });

  it('an error that quotes the token and the password back has both removed', async () => {
    misbehave = 'echo-secrets';
    const result = keep(await client().grantClientAccess(grant));
    expect(result.error).toMatchObject({ kind: 'http', status: 403, message: 'Refused token [redacted] (password [redacted])' });
  });

  it('every call can go through the undici transport', async () => {
    misbehave = 'busy-once';
    const fast = client({ transport: undiciTransport() });
    expect(keep(await fast.grantClientAccess(grant)).error).toBeUndefined();
    expect(keep(await fast.updateTechnicien(technicien)).data).toEqual(technicien);
    // The login, then the grant and the update twice each (a 429, then the retry): all five reached the
    // server through undici.
    expect([...hits.values()].reduce((sum, count) => sum + count, 0)).toBe(5);
    expect(fetchModes).toEqual(Array(5).fill(undefined));
  });

  it('no error holds the password or a token', () => {
    expect(errors.length).toBeGreaterThanOrEqual(8);
    expect(issued.length).toBeGreaterThan(0);
    const text = JSON.stringify(errors);
    for (const secret of [password, ...issued]) expect(text).not.toContain(secret);
  });
});
