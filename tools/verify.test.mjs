// @ts-check
// `npm run verify` against real local servers: one per API that breaks the contract on purpose (a field
// of the wrong type, an undocumented status), whose every break must be reported, and one that honours
// it, which must pass. Runs the built packages, as the script does (npm test builds them first).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './apis.mjs';
import { sendJson, startLocalServer } from './testing/local-server.mjs';

const key = 'verify-secret-9c41d7e2';
// Each run starts Node, the built client and a Prism proxy (≈2 s alone, more on a busy machine).

/**
 * Runs the script with `env` added to a copy of this process's environment, without any VERIFY_* of ours.
 * @param {string[]} args @param {Record<string, string>} [env]
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
function verify(args, env = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VERIFY_')));
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'tools/verify.mjs'), ...args], { cwd: repoRoot, timeout: 60_000, env: { ...base, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** @typedef {import('./testing/local-server.mjs').ReceivedRequest} ReceivedRequest */

/**
 * A server at `<url>/<prefix>` answering with `answer`, recording what it received.
 * @param {(request: ReceivedRequest, path: string) => [number, unknown]} answer
 */
async function server(answer) {
  /** @type {ReceivedRequest[]} */
  const received = [];
  const local = await startLocalServer((request, response) => {
    received.push(request);
    const [status, body] = answer(request, request.url.pathname.replace(/^\/base/, ''));
    if (body === undefined) response.writeHead(status).end();
    else sendJson(response, status, body);
  });
  return { ...local, target: `${local.url}/base`, received };
}

const secretsDir = mkdtempSync(join(tmpdir(), 'verify-secrets-'));
afterAll(() => rmSync(secretsDir, { recursive: true, force: true }));
/** A file holding `secret` and a newline, as an editor saves it. @param {string} name @param {string} secret */
function secretFile(name, secret) {
  const file = join(secretsDir, name);
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return file;
}

const success = { result: 'SUCCESS', details: {}, errorDetails: null };

describe('npm run verify, through Prism\'s validation proxy', () => {
  it.concurrent('reports every break of a Take Control server, and exits 1', { timeout: 60_000 }, async () => {
    const broken = await server((_request, path) => {
      if (path === '/tech') return [200, { result: 123, details: {} }]; // result must be a string
      if (path === '/tech/bulk') return [418, { status: 418, message: "I'm a teapot" }]; // not documented
      return [200, success];
    });
    try {
      const { code, stdout } = await verify(['--api', 'take-control', '--target', broken.target, '--key-file', secretFile('key', key)]);
      expect(code).toBe(1);
      expect(stdout).toMatch(/✗ createTechnician "johnDoe".*\n.*createTechnician response body result: .*must be string/);
      expect(stdout).toMatch(/✗ createTechnicians .*418\n(.*\n)*.*createTechnicians response status 418: 418 is not documented/);
      expect(stdout).toMatch(/✓ setTechnicianStatus "disable"/);
      expect(stdout).toContain('3 scenarios, 3 exchanges: 3 violations.');
      expect(stdout).not.toContain(key);
      // Prism forwarded each request (in the spec's order), with the base path of the target and the key.
      expect(broken.received.map((request) => `${request.method} ${request.url.pathname}`)).toEqual([
        'POST /base/tech',
        'POST /base/tech/bulk',
        'PUT /base/tech/john.doe%40example.com',
      ]);
      expect(broken.received[0]?.headers.authorization).toBe(`INTEGRATION-KEY ${key}`);
    } finally {
      await broken.close();
    }
  });

  it.concurrent('passes a Take Control server that honours the contract', { timeout: 60_000 }, async () => {
    const honest = await server((request, path) => {
      if (path !== '/tech/bulk') return [200, success];
      const emails = JSON.parse(request.body).map((/** @type {{ email: string }} */ technician) => technician.email);
      return [200, { result: 'SUCCESS', details: { technicians: Object.fromEntries(emails.map((/** @type {string} */ email) => [email, { result: 'SUCCESS' }])) } }];
    });
    try {
      const { code, stdout } = await verify(['--api', 'take-control', '--target', honest.target], { VERIFY_KEY: key });
      expect(stdout).toContain('3 scenarios, 3 exchanges: 0 violations.');
      expect(code).toBe(0);
    } finally {
      await honest.close();
    }
  });

  it.concurrent('reports every break of a technicien server, the GET with a body included, and exits 1', { timeout: 60_000 }, async () => {
    const broken = await server((request, path) => {
      if (path === '/restapi/auth/authenticate2') return [200, { token: 42 }]; // token must be a string
      if (path === '/restapi/technicien/grant-client-access') return [202, undefined]; // not documented
      return [200, { ...JSON.parse(request.body), id: 'not-a-number' }]; // update: id must be an integer
    });
    try {
      const { code, stdout } = await verify(['--api', 'technicien', '--target', broken.target], { VERIFY_KEY: key });
      expect(code).toBe(1);
      expect(stdout).toMatch(/authenticate response body token: .*must be string/);
      expect(stdout).toMatch(/✗ grantClientAccess .*\n(.*\n)*.*grantClientAccess response status/);
      expect(stdout).toMatch(/✗ updateTechnicien .*sent straight to the target.*\n.*updateTechnicien response body \/id: must be integer/);
      expect(stdout).not.toContain(key);
      // Prism's proxy cannot carry a GET body: the update went straight to the target, body and token included.
      const update = broken.received.find((request) => request.url.pathname === '/base/restapi/technicien/update');
      expect(update?.method).toBe('GET');
      expect(JSON.parse(update?.body ?? '{}')).toMatchObject({ id: 0, techos: { techType: 'CLIENT' } });
      expect(update?.headers['x-auth-token']).toBe(key);
    } finally {
      await broken.close();
    }
  });

  it.concurrent('passes a technicien server that honours the contract, logging in with the given credentials', { timeout: 60_000 }, async () => {
    const honest = await server((request, path) => {
      if (path === '/restapi/auth/authenticate2') return [200, { additionalAccountData: {}, passwordExpirationRemainingDays: 30, token: 'a-token' }];
      if (path === '/restapi/technicien/grant-client-access') return [200, undefined];
      return [200, JSON.parse(request.body)];
    });
    try {
      const password = 'verify-password-51f0';
      const passwordFile = secretFile('password', password);
      const { code, stdout } = await verify(['--api', 'technicien', '--target', honest.target, '--login', 'me', '--password-file', passwordFile], { VERIFY_KEY: key });
      expect(stdout).toContain('3 scenarios, 3 exchanges: 0 violations.');
      expect(code).toBe(0);
      const login = honest.received.find((request) => request.url.pathname.endsWith('/authenticate2'));
      expect(JSON.parse(login?.body ?? '{}')).toEqual({ login: 'me', password });
      expect(stdout).not.toContain(password);
    } finally {
      await honest.close();
    }
  });

  it('refuses a secret given on the command line, without echoing it', { timeout: 30_000 }, async () => {
    for (const flag of ['--key', '--password']) {
      const { code, stdout, stderr } = await verify(['--api', 'take-control', '--target', 'http://127.0.0.1:9', flag, key]);
      expect(code).toBe(2);
      expect(stderr).toContain(`${flag} takes no value on the command line`);
      expect(stderr).toMatch(flag === '--key' ? /set VERIFY_KEY, or pass --key-file <file>/ : /set VERIFY_PASSWORD, or pass --password-file <file>/);
      expect(stdout + stderr).not.toContain(key);
    }
  });

  it('names a secret file it cannot read, with exit code 2', { timeout: 30_000 }, async () => {
    const { code, stderr } = await verify(['--api', 'take-control', '--target', 'http://127.0.0.1:9', '--key-file', '/nonexistent/key']);
    expect(code).toBe(2);
    expect(stderr).toContain('--key-file /nonexistent/key: ENOENT');
  });

  it('refuses to run without a target, with its usage', { timeout: 30_000 }, async () => {
    const { code, stderr } = await verify(['--api', 'take-control']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--target is required[\s\S]*Usage: npm run verify/);
  });
});
