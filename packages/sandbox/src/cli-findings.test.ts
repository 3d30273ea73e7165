// The bin's journal and findings flags, as a user runs it (the build, dist/cli.js): --strict-client prints
// each finding to stderr as it is made, --journal-limit bounds the journal, a bad limit is refused (exit 2).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const running: ChildProcessWithoutNullStreams[] = [];
afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});

function run(args: string[]) {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: npm run build`);
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  running.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  return { child, output };
}

/** Resolves once `read()` holds `text`, or fails after 20 s with what was printed. */
async function waitFor(read: () => string, text: string) {
  for (let waited = 0; !read().includes(text); waited += 20) {
    if (waited > 20_000) throw new Error(`"${text}" not printed within 20 s:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('--strict-client prints each finding to stderr; --journal-limit keeps the last N requests', async () => {
  const { child, output } = run(['--port', '0', '--api', 'take-control', '--strict-client', '--journal-limit', '2']);
  await waitFor(() => output.stdout, 'Ctrl-C stops it.');
  expect(output.stdout).toContain('journal: the last 2 requests; findings printed to stderr');
  const url = /Take Control\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output.stdout)?.[1] as string;
  const create = (authorization: string, email: string) =>
    fetch(`${url}/tech`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify({ email, name: 'A' }) });
  expect((await create('your-private-key', 'a@example.com')).status).toBe(403);
  expect((await create('INTEGRATION-KEY your-private-key', 'b@example.com')).status).toBe(200);
  expect((await create('INTEGRATION-KEY your-private-key', 'b@example.com')).status).toBe(409);
  await waitFor(() => output.stderr, 'repeated-create');
  expect(output.stderr.trim().split('\n')).toEqual([
    'techapi-sandbox: finding (take-control, key-without-prefix): request #1 sent its key as Authorization: <key>: send it as Authorization: INTEGRATION-KEY <key>',
    expect.stringMatching(/^techapi-sandbox: finding \(take-control, repeated-create\): request #3 \(createTechnician\) created again b@example\.com \(settled by #2, 200\)/),
  ]);
  const journal = (await (await fetch(`${url}/__sandbox/requests`)).json()) as Array<{ seq: number; status: number }>;
  expect(journal.map((entry) => [entry.seq, entry.status])).toEqual([
    [2, 200],
    [3, 409],
  ]);
  const findings = (await (await fetch(`${url}/__sandbox/findings`)).json()) as Array<{ kind: string }>;
  expect(findings.map((finding) => finding.kind)).toEqual(['key-without-prefix', 'repeated-create']);
  child.kill('SIGINT');
  expect((await once(child, 'exit'))[0]).toBe(0);
}, 30_000);

it('--help lists the journal flags and X-Sandbox-Fault; a bad --journal-limit is refused with exit 2', async () => {
  const help = run(['--help']);
  expect((await once(help.child, 'exit'))[0]).toBe(0);
  for (const part of ['--journal-limit <N>', '--strict-client', 'X-Sandbox-Fault: 429 | 503 | drop-before | drop-after', 'Exit codes: 0']) expect(help.output.stdout).toContain(part);
  const bad = run(['--journal-limit', '2.5']);
  expect((await once(bad.child, 'exit'))[0]).toBe(2);
  expect(bad.output.stderr).toContain('--journal-limit takes a whole number >= 0, got "2.5"');
});
