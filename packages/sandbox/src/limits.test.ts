// The sandbox's limits and its reset, through its public API only (startSandbox, HTTP on 127.0.0.1): the
// request body limit at exactly the figure the README documents, and `reset()` on both APIs.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INTEGRATION_KEY, startSandbox, type Sandbox } from './index.js';

let sandbox: Sandbox;
let takeControl: string;
let technicien: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  takeControl = sandbox.urls['take-control'] as string;
  technicien = sandbox.urls.technicien as string;
});
afterAll(() => sandbox.close());

const json = { 'content-type': 'application/json' };
const createTechnician = (body: string) =>
  fetch(`${takeControl}/tech`, { method: 'POST', headers: { ...json, authorization: `INTEGRATION-KEY ${DEFAULT_INTEGRATION_KEY}` }, body });

/** A valid `POST /tech` body for `email`, padded with JSON whitespace to exactly `bytes` bytes. */
function bodyOf(bytes: number, email: string): string {
  const text = JSON.stringify({ email, name: 'Padded' });
  return text + ' '.repeat(bytes - Buffer.byteLength(text));
}

describe('the request body limit', () => {
  // The figure as the README documents it, not as the code has it: a limit changed in the code alone
  // (multiplied by 1024, say) fails here.
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const documented = /request body over \*\*10 MiB \((\d+) bytes\)\*\*/.exec(readme)?.[1];
  const limit = Number(documented);

  it('is documented in the README as 10 MiB', () => {
    expect(limit).toBe(10 * 1024 * 1024);
  });

  it('a body of exactly the limit is read and handled: the technician is created', async () => {
    const body = bodyOf(limit, 'at-the-limit@example.com');
    expect(Buffer.byteLength(body)).toBe(limit);
    const response = await createTechnician(body);
    expect(response.status).toBe(200);
    expect(sandbox.state()['take-control']?.technicians.map((technician) => technician.email)).toContain('at-the-limit@example.com');
  });

  it('one byte more is refused with 413, the connection closed, and nothing is stored', async () => {
    const body = bodyOf(limit + 1, 'over-the-limit@example.com');
    expect(Buffer.byteLength(body)).toBe(limit + 1);
    const response = await createTechnician(body);
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toEqual({ status: 413, message: `The body is larger than ${limit} bytes` });
    expect(sandbox.state()['take-control']?.technicians.map((technician) => technician.email)).not.toContain('over-the-limit@example.com');
  });
});

describe('reset', () => {
  /** Changes both APIs' state over HTTP: a technician created in Take Control, an access granted in Gestion. */
  async function changeBoth() {
    expect((await createTechnician(JSON.stringify({ email: 'reset-me@example.com', name: 'Reset Me' }))).status).toBe(200);
    const login = await fetch(`${technicien}/restapi/auth/authenticate2`, { method: 'POST', headers: json, body: JSON.stringify({ login: 'demo', password: 'demo' }) });
    const { token } = (await login.json()) as { token: string };
    const query = new URLSearchParams({ emails: 'tech1@example.com', codeExploitant: 'EXP01', dateFin: '2026-12-31' });
    const grant = await fetch(`${technicien}/restapi/technicien/grant-client-access?${query}`, { method: 'POST', headers: { 'x-auth-token': token } });
    expect(grant.status).toBe(201);
    const state = sandbox.state();
    expect(state['take-control']?.technicians.map((technician) => technician.email)).toContain('reset-me@example.com');
    expect(state.technicien?.grants).toHaveLength(1);
  }

  it('`reset()` restores both APIs to their seed', async () => {
    sandbox.reset();
    const fresh = sandbox.state();
    await changeBoth();
    sandbox.reset();
    expect(sandbox.state()).toEqual(fresh);
    expect(fresh['take-control']?.technicians).toEqual([]);
    expect(fresh.technicien?.grants).toEqual([]);
    expect(fresh.technicien?.techniciens.map((technicien) => technicien.id)).toEqual([1, 2]);
  });

  it('`POST /__sandbox/reset` restores only the API it is sent to', async () => {
    sandbox.reset();
    const fresh = sandbox.state();
    await changeBoth();
    const changed = sandbox.state();
    expect((await fetch(`${takeControl}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
    expect(sandbox.state()).toEqual({ 'take-control': fresh['take-control'], technicien: changed.technicien });
    expect((await fetch(`${technicien}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
    expect(sandbox.state()).toEqual(fresh);
  });
});
