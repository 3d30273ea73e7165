import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startLocalServer, type LocalServer } from '../../../tools/testing/local-server.mjs';
import { createTechnicienClient, type ApiResult, type TechnicienClientOptions } from './node.js';

// Input that cannot be put in a request, sent as plain JavaScript would (no types to refuse it): each call
// ends at once as `invalid-input`, after one attempt, its message naming the argument, and nothing reaches
// the server (a real one on loopback, which counts what it receives), not even a login.
let server: LocalServer;
let received = 0;
beforeAll(async () => {
  server = await startLocalServer((request, response) => {
    received++;
    sendJson(response, 200, request.url.pathname.endsWith('/authenticate2') ? { token: 'tok-invalid-input' } : {});
  });
});
afterAll(() => server.close());
beforeEach(() => {
  received = 0;
});

type JsClient = Record<'updateTechnicien' | 'grantClientAccess' | 'authenticate', (...args: unknown[]) => Promise<ApiResult<unknown>>>;
/** Logs in by itself, so that a login sent before the refusal would be counted too. Retries are generous: one attempt means none was made. */
const client = (options: Partial<TechnicienClientOptions> = {}) =>
  createTechnicienClient({
    baseUrl: server.url,
    credentials: { login: 'tech', password: 'pw-invalid-input' },
    retry: { attempts: 5, baseDelayMs: 1 },
    ...options,
  } as TechnicienClientOptions) as unknown as JsClient;

const technicien = { id: 42, idUtilisateur: 4242 };
const cycle: Record<string, unknown> = { ...technicien };
cycle.self = cycle;
const grant = { emails: ['tech1@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' };

describe('a call that cannot be built is refused at once, named, never retried, nothing sent', () => {
  const cases: Array<[string, (c: JsClient) => Promise<ApiResult<unknown>>, RegExp]> = [
    // The issue's own call, with the arguments the other way round: the object meant for the body in the query.
    ['updateTechnicien: an object as customerId', (c) => c.updateTechnicien(technicien, { customerId: technicien }), /^customerId must be a string or a number, got an object/],
    ['updateTechnicien: a list as customerId', (c) => c.updateTechnicien(technicien, { customerId: [1, 2] }), /^customerId .* got an array/],
    ['updateTechnicien: the old order, customerId first', (c) => c.updateTechnicien(123, technicien), /^technicien must be an object, got a number \(123\)/],
    ['updateTechnicien: the old order without a customerId', (c) => c.updateTechnicien(undefined, technicien), /^technicien must be an object, got undefined/],
    ['updateTechnicien: a BigInt in the body', (c) => c.updateTechnicien({ ...technicien, id: 42n }), /^technicien cannot be sent as JSON: .*BigInt/],
    ['updateTechnicien: a cycle in the body', (c) => c.updateTechnicien(cycle), /^technicien cannot be sent as JSON: .*circular/i],
    ['grantClientAccess: an object as codeExploitant', (c) => c.grantClientAccess({ ...grant, codeExploitant: { code: 'EXP01' } }), /^codeExploitant must be a string or a number, got an object/],
    ['grantClientAccess: a symbol as codeExploitant', (c) => c.grantClientAccess({ ...grant, codeExploitant: Symbol('EXP01') }), /^codeExploitant .* got a symbol/],
    ['grantClientAccess: no input at all', (c) => c.grantClientAccess(), /^emails: give a list/],
    ['authenticate: a BigInt as the login', (c) => c.authenticate(1n, 'pw'), /^login or password cannot be sent as JSON/],
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

  it('a valid call to the same server goes through: the server counts the login and the call', async () => {
    expect((await client().updateTechnicien(technicien, { customerId: 7 })).error).toBeUndefined();
    expect(received).toBe(2);
  });
});
