// The bin as a user runs it (the build, dist/cli.js): it prints each URL and the credentials it accepts,
// serves the state, and stops on Ctrl-C (SIGINT). Needs the package built (`npm test` builds it first).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
const running: ChildProcessWithoutNullStreams[] = [];
afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

/** Starts the bin and resolves once it printed "Ctrl-C stops it.", with what it printed. */
async function start(args: string[]) {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: npm run build`);
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ctrl-C stops it.')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}):\n${output}`)));
    setTimeout(() => reject(new Error(`the sandbox did not start within 20 s:\n${output}`)), 20_000).unref();
  });
  const url = (name: string) => new RegExp(`${name}\\s+(http://127\\.0\\.0\\.1:\\d+)`).exec(output)?.[1] as string;
  return { child, output, takeControl: url('Take Control'), technicien: url('Gestion des techniciens') };
}

const createJohn = (url: string, key = 'your-private-key') =>
  fetch(`${url}/tech`, {
    method: 'POST',
    headers: { authorization: `INTEGRATION-KEY ${key}`, 'content-type': 'application/json' },
    body: '{"email":"john.doe@example.com","name":"John Doe"}',
  });

describe('techapi-sandbox', () => {
  it('prints each URL and the default credentials; the first create is 200, the second 409; Ctrl-C stops it', async () => {
    const { child, output, takeControl, technicien } = await start(['--port', '0']);
    expect(output).toContain('Authorization: INTEGRATION-KEY your-private-key');
    expect(output).toContain('login "demo", password "demo"');
    expect(output).toContain('rate limit: none; latency: 0 ms; faults: none');
    expect(technicien).toMatch(/^http:/);
    expect((await createJohn(takeControl)).status).toBe(200);
    const again = await createJohn(takeControl);
    expect([again.status, await again.json()]).toEqual([409, { status: 409, message: 'Email already exists' }]);
    const login = await fetch(`${technicien}/restapi/auth/authenticate2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"login":"demo","password":"demo"}' });
    expect(login.status).toBe(200);
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  }, 30_000);

  it('one API only, credentials from files, seed from a file, knobs echoed', async () => {
    const keyFile = join(scratch, 'key');
    const passwordFile = join(scratch, 'password');
    const seedFile = join(scratch, 'seed.json');
    writeFileSync(keyFile, 'file-key\n');
    writeFileSync(passwordFile, 'secret\n');
    writeFileSync(seedFile, JSON.stringify({ 'take-control': { technicians: [{ email: 'seeded@example.com', name: 'Seeded' }] } }));
    const { child, output, takeControl, technicien } = await start([
      '--port', '0', '--api', 'take-control', '--integration-key-file', keyFile, '--password-file', passwordFile,
      '--seed-file', seedFile, '--rate-limit', '5', '--latency', '1', '--error-rate', '0', '--drop-rate', '0.1', '--seed', '3',
    ]);
    expect(technicien).toBeUndefined();
    expect(output).not.toContain('file-key'); // a key from a file is not printed
    expect(output).toContain(`the key in ${keyFile}`);
    expect(output).toContain('rate limit: 5/s per credential; latency: 1 ms; faults: 0 503s, 0.1 drops, seed 3');
    expect((await createJohn(takeControl, 'your-private-key')).status).toBe(403);
    const state = await (await fetch(`${takeControl}/__sandbox/state`)).json();
    expect(state.technicians.map((technician: { email: string }) => technician.email)).toEqual(['seeded@example.com']);
    child.kill('SIGTERM');
    expect((await once(child, 'exit'))[0]).toBe(0);
  }, 30_000);

  it.each([
    [['--api', 'nope'], /unknown API "nope"/],
    [['--rate-limit', 'lots'], /--rate-limit takes a number/],
    [['--bulk-conflicts', 'never'], /--bulk-conflicts is per-item or reject-batch/],
    [['--integration-key-file', '/nonexistent/key'], /cannot read \/nonexistent\/key/],
    [['--no-such-flag'], /Unknown option '--no-such-flag'/],
  ])('%j is refused with its reason and the usage (exit 2)', async (args, reason) => {
    const child = spawn(process.execPath, [bin, ...args]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toMatch(reason);
    expect(stderr).toContain('Usage: techapi-sandbox');
  });
});
