// `techapi take-control disable --file` and `enable --file` against the stateful sandbox, as a user runs
// them: exact counts, the sandbox's state after, and the PUTs it received (through a counting proxy).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@techapi/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { startProxy } from './testing/proxy.js';
import { startTechapi, techapi, tempDir } from './testing/run.js';

const env = { TAKE_CONTROL_KEY: 'your-private-key' };
const { dir, remove } = tempDir('cli-status-');
afterAll(remove);

const people = (count: number) => Array.from({ length: count }, (_, index) => `leaver${index}@example.com`);

async function withSandbox(options: Parameters<typeof startSandbox>[0], seeded: { email: string; status: 'enabled' | 'disabled' }[], run: (sandbox: Sandbox, url: string) => Promise<void>) {
  const sandbox = await startSandbox({ apis: ['take-control'], port: 0, ...options });
  sandbox.seed('take-control', { technicians: seeded.map(({ email, status }) => ({ email, name: email.split('@')[0] as string, status })) });
  try {
    await run(sandbox, sandbox.urls['take-control'] as string);
  } finally {
    await sandbox.close();
  }
}

const statusOf = (sandbox: Sandbox) => new Map((sandbox.state()['take-control']?.technicians ?? []).map((technician) => [technician.email, technician.status]));

describe('disable --file and enable --file', () => {
  it('sets every row, counts a technician already in that state as done, and fails an unknown one with its reason', { timeout: 60_000 }, async () => {
    const emails = people(40);
    // Every fifth is already disabled: the API answers 200 all the same.
    await withSandbox({}, emails.map((email, index) => ({ email, status: index % 5 === 0 ? 'disabled' : 'enabled' })), async (sandbox, url) => {
      const file = join(dir, 'leavers.csv');
      writeFileSync(file, ['email', ...emails, 'stranger@example.com', 'not-an-email', 'LEAVER3@example.com', ''].join('\r\n'));
      const run = await techapi(['take-control', 'disable', '--file', file, '--base-url', url, '--json'], { env });
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({ action: 'disable', total: 43, disabled: 40, existing: 0, changed: 0, failed: 3, invalid: 1, repeated: 1, refused: 1, resumed: 0, stopped: null });
      expect([...statusOf(sandbox).values()].filter((status) => status === 'disabled')).toHaveLength(40);
      expect(readFileSync(join(dir, 'leavers.disable.failed.csv'), 'utf8').replace(/^\uFEFF/, '').trimEnd().split(/\r?\n/).sort()).toEqual(
        [
          'email,reason',
          'LEAVER3@example.com,"line 44: email: LEAVER3@example.com is repeated: line 5 has it already, and only that row is sent"',
          'not-an-email,line 43: email: is not a valid email',
          'stranger@example.com,line 42: refused by the server: Technician not found',
        ].sort(),
      );

      const back = await techapi(['take-control', 'enable', '--file', file, '--base-url', url, '--json'], { env });
      expect(JSON.parse(back.stdout)).toMatchObject({ action: 'enable', total: 43, enabled: 40, failed: 3, refused: 1 });
      expect([...statusOf(sandbox).values()].every((status) => status === 'enabled')).toBe(true);
      expect(existsSync(`${file}.enable.journal`) && existsSync(`${file}.disable.journal`)).toBe(true);
    });
  });

  it('after a kill -9, the rerun leaves every technician disabled and sends no PUT for a row the journal records as done', { timeout: 120_000 }, async () => {
    const emails = people(300);
    await withSandbox({ latencyMs: 30 }, emails.map((email) => ({ email, status: 'enabled' as const })), async (sandbox, url) => {
      const proxy = await startProxy(url);
      try {
        const file = join(dir, 'killed.csv');
        writeFileSync(file, ['email', ...emails].join('\n'));
        const journal = `${file}.disable.journal`;
        const args = ['take-control', 'disable', '--file', file, '--base-url', proxy.url];
        const child = startTechapi(args, { env });
        const deadline = Date.now() + 60_000;
        while (!(existsSync(journal) && (readFileSync(journal, 'utf8').match(/"done"/g)?.length ?? 0) >= 40) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
        const done = new Set(
          readFileSync(journal, 'utf8')
            .split('\n')
            .flatMap((line) => (line.startsWith('{"done"') ? (JSON.parse(line).done as string[]) : [])),
        );
        expect(done.size).toBeGreaterThanOrEqual(40);
        expect(done.size).toBeLessThan(300);
        const before = proxy.requests.length;

        const rerun = await techapi([...args, '--json'], { env });
        expect(rerun.code).toBe(0);
        expect(rerun.stderr).toContain(`resuming: ${done.size} of 300 rows done by an earlier run`);
        expect(JSON.parse(rerun.stdout)).toMatchObject({ total: 300, disabled: 300, failed: 0, resumed: done.size });
        const puts = proxy.requests.slice(before).map((line) => line.replace(/^PUT \/tech\//, ''));
        expect(puts.filter((email) => done.has(email))).toEqual([]);
        expect(new Set(puts).size).toBe(300 - done.size);
        expect([...statusOf(sandbox).values()].every((status) => status === 'disabled')).toBe(true);
      } finally {
        await proxy.close();
      }
    });
  });

  it('a single technician still works as before, and an email with --file is a usage error', { timeout: 30_000 }, async () => {
    await withSandbox({}, [{ email: 'one@example.com', status: 'enabled' }], async (sandbox, url) => {
      const run = await techapi(['take-control', 'disable', 'one@example.com', '--base-url', url], { env });
      expect(run).toMatchObject({ code: 0, stdout: 'one@example.com is disabled.\n' });
      const both = await techapi(['take-control', 'disable', 'one@example.com', '--file', 'x.csv', '--base-url', url], { env });
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('Give one technician (techapi take-control disable <email>) or a file (--file <file>), not both.');
      expect(statusOf(sandbox).get('one@example.com')).toBe('disabled');
    });
  });
});

