// The accidents an admin meets (issue 21), each against the real sandbox, run as a user runs the bin:
// a report or journal that cannot be written, two runs at once, a journal empty or cut short, a file
// edited between runs, a server that dies, a second Ctrl-C, newlines in a report's fields, a stale report.
// Every run here is checked by testing/run.ts: a documented exit code, and never silent.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { startSandbox, type Sandbox } from '@techapi/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { startProxy } from './testing/proxy.js';
import { collect, startTechapi, techapi, tempDir } from './testing/run.js';

const env = { TAKE_CONTROL_KEY: 'your-private-key' };
const { dir, remove } = tempDir('cli-accidents-');
afterAll(remove);

const technicians = (count: number, from = 0) => Array.from({ length: count }, (_, index) => `tech${from + index}@example.com,Tech ${from + index},support`);
function csv(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${['email,name,profile', ...lines].join('\n')}\n`);
  return path;
}
const emailsIn = (sandbox: Sandbox) => (sandbox.state()['take-control']?.technicians ?? []).map((technician) => technician.email.toLowerCase());

async function withSandbox(options: Parameters<typeof startSandbox>[0], run: (sandbox: Sandbox, url: string) => Promise<void>): Promise<void> {
  const sandbox = await startSandbox({ apis: ['take-control'], port: 0, ...options });
  try {
    await run(sandbox, sandbox.urls['take-control'] as string);
  } finally {
    await sandbox.close();
  }
}

/** Waits until the journal records `count` outcomes (done), or a minute. */
async function untilDone(journal: string, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(existsSync(journal) && (readFileSync(journal, 'utf8').match(/"done"/g)?.length ?? 0) >= count) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a place that cannot be written stops the run before anything is sent', () => {
  it.each([
    ['--report', (missing: string) => ['--report', join(missing, 'failed.csv')]],
    ['--journal', (missing: string) => ['--journal', join(missing, 'x.journal')]],
  ])('%s in a folder that does not exist: exit 2 naming it, nothing sent, with --json too', { timeout: 60_000 }, async (flag, extra) => {
    await withSandbox({}, async (sandbox, url) => {
      const missing = join(dir, `missing-${flag.slice(2)}`);
      // The bad row last, in the last batch: before, 20 rows were created first.
      const input = csv(`unwritable-${flag.slice(2)}.csv`, [...technicians(20), 'bad,Bad,']);
      const run = await techapi(['take-control', 'import', input, '--base-url', url, '--batch-size', '5', '--json', ...extra(missing)], { env });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`Cannot write the ${flag === '--report' ? 'report' : "journal's lock"} ${join(missing, flag === '--report' ? 'failed.csv' : 'x.journal')}`);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { kind: 'usage' } });
      expect(emailsIn(sandbox)).toEqual([]);
    });
  });
});

describe('one run per journal at a time', () => {
  it('a second run of the same import exits 2 naming the first; the first creates every row; a dead run’s lock is taken over', { timeout: 120_000 }, async () => {
    await withSandbox({ latencyMs: 50 }, async (sandbox, url) => {
      const input = csv('twice.csv', technicians(300));
      const args = ['take-control', 'import', input, '--base-url', url, '--batch-size', '10', '--json'];
      const first = collect(startTechapi(args, { env }), args);
      await untilDone(`${input}.journal`, 1);
      const second = await techapi(args, { env });
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(new RegExp(`Another run of this command is using the journal .*twice\\.csv\\.journal: process \\d+ on .*, started \\d{4}-\\d\\d-\\d\\dT`));
      expect(second.stdout).not.toMatch(/"created"/);
      const done = await first.exited;
      expect(done.code).toBe(0);
      expect(JSON.parse(done.stdout)).toMatchObject({ total: 300, created: 300, existing: 0, failed: 0 });
      expect(new Set(emailsIn(sandbox)).size).toBe(300);
      expect(existsSync(`${input}.journal.lock`)).toBe(false);

      // A lock left by a process that is gone (kill -9): taken over, and the run says so.
      const gone = spawn(process.execPath, ['-e', '']);
      const pid = await new Promise<number>((resolve) => gone.once('exit', () => resolve(gone.pid as number)));
      writeFileSync(`${input}.journal.lock`, JSON.stringify({ pid, host: (await import('node:os')).hostname(), started: '2026-01-01T00:00:00.000Z' }));
      const after = await techapi(args, { env });
      expect(after.code).toBe(0);
      expect(after.stderr).toContain(`was left by process ${pid} on `);
      expect(after.stderr).toContain('started 2026-01-01T00:00:00.000Z, which is no longer running: taken over.');
      expect(JSON.parse(after.stdout)).toMatchObject({ total: 300, created: 300, resumed: 300 });
    });
  });

  it('two imports of the same file at once, with journals of their own: no row reported failed', { timeout: 120_000 }, async () => {
    await withSandbox({ latencyMs: 20 }, async (sandbox, url) => {
      const input = csv('overlap.csv', technicians(300));
      const run = (journal: string) => {
        const args = ['take-control', 'import', input, '--base-url', url, '--batch-size', '10', '--json', '--journal', join(dir, journal), '--report', join(dir, `${journal}.failed.csv`)];
        return collect(startTechapi(args, { env }), args).exited;
      };
      const [a, b] = await Promise.all([run('a.journal'), run('b.journal')]);
      const [first, second] = [JSON.parse(a.stdout), JSON.parse(b.stdout)];
      expect([a.code, b.code]).toEqual([0, 0]);
      for (const summary of [first, second]) expect(summary).toMatchObject({ total: 300, failed: 0, changed: 0, report: null });
      // Each row created by one run is existing for the other.
      expect(first.created + second.created).toBe(300);
      expect(first.existing + second.existing).toBe(300);
      expect(new Set(emailsIn(sandbox)).size).toBe(300);
    });
  });
});

describe('a journal that cannot be trusted is never trusted', () => {
  it('an empty journal is refused, naming it and what to do; nothing is sent', { timeout: 60_000 }, async () => {
    await withSandbox({}, async (sandbox, url) => {
      const input = csv('empty-journal.csv', technicians(5));
      writeFileSync(`${input}.journal`, '');
      const run = await techapi(['take-control', 'import', input, '--base-url', url], { env });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`The journal ${input}.journal is empty, with no header: nothing in it can be trusted: delete it to start over`);
      expect(emailsIn(sandbox)).toEqual([]);
    });
  });

  it('a journal cut back to its header: the rows already on the server count as existing, none failed', { timeout: 60_000 }, async () => {
    await withSandbox({}, async (sandbox, url) => {
      const input = csv('cut-journal.csv', technicians(50));
      const args = ['take-control', 'import', input, '--base-url', url, '--batch-size', '10', '--json'];
      expect(JSON.parse((await techapi(args, { env })).stdout)).toMatchObject({ created: 50 });
      const journal = `${input}.journal`;
      truncateSync(journal, readFileSync(journal, 'utf8').indexOf('\n') + 1);
      const rerun = await techapi(args, { env });
      expect(rerun.code).toBe(0);
      expect(JSON.parse(rerun.stdout)).toMatchObject({ total: 50, created: 0, existing: 50, failed: 0, report: null });
      expect(emailsIn(sandbox)).toHaveLength(50);
    });
  });

  it('a journal damaged before its last line is refused, and left as it was', { timeout: 60_000 }, async () => {
    await withSandbox({}, async (sandbox, url) => {
      const input = csv('damaged-journal.csv', technicians(30));
      const args = ['take-control', 'import', input, '--base-url', url, '--batch-size', '10'];
      await techapi(args, { env });
      const journal = `${input}.journal`;
      const lines = readFileSync(journal, 'utf8').split('\n');
      lines[2] = (lines[2] as string).slice(0, 7);
      writeFileSync(journal, lines.join('\n'));
      const rerun = await techapi(args, { env });
      expect(rerun.code).toBe(2);
      expect(rerun.stderr).toContain(`The journal ${journal} is damaged at line 3: delete it to start over`);
      expect(emailsIn(sandbox)).toHaveLength(30);
    });
  });
});

describe('a file edited between runs', () => {
  it('counts the rows an earlier run created with other values as changed, naming their lines and fields', { timeout: 60_000 }, async () => {
    await withSandbox({}, async (sandbox, url) => {
      const lines = technicians(6);
      const input = csv('edited.csv', lines);
      const args = ['take-control', 'import', input, '--base-url', url, '--json'];
      expect((await techapi(args, { env })).code).toBe(0);
      lines[1] = 'tech1@example.com,Tech One,support'; // line 3: the name
      lines[3] = 'tech3@example.com,Tech 3,admin'; // line 5: the profile
      lines.push('tech6@example.com,Tech 6,support'); // a new row
      csv('edited.csv', lines);
      const rerun = await techapi(args, { env });
      expect(rerun.code).toBe(1);
      expect(JSON.parse(rerun.stdout)).toMatchObject({
        total: 7,
        created: 5,
        changed: 2,
        failed: 0,
        resumed: 6,
        changes: [
          { line: 3, email: 'tech1@example.com', fields: ['name'] },
          { line: 5, email: 'tech3@example.com', fields: ['profile'] },
        ],
      });
      expect(rerun.stderr).toContain('line 3: tech1@example.com was sent by an earlier run with other values (name changed since): the server keeps those');
      expect(sandbox.state()['take-control']?.technicians.find((technician) => technician.email === 'tech1@example.com')?.name).toBe('Tech 1');
      expect(emailsIn(sandbox)).toHaveLength(7);
    });
  });
});

describe('a server that stops answering', () => {
  it('is given up on (exit 1, resumable); the same command finishes once it is back, each email once', { timeout: 120_000 }, async () => {
    await withSandbox({ latencyMs: 20 }, async (sandbox, url) => {
      const proxy = await startProxy(url);
      try {
        const input = csv('dead.csv', technicians(400));
        const args = ['take-control', 'import', input, '--base-url', proxy.url, '--batch-size', '10', '--give-up-after', '2'];
        const run = collect(startTechapi(args, { env }), args);
        await untilDone(`${input}.journal`, 3);
        await proxy.down();
        const dead = await run.exited;
        expect(dead.code).toBe(1);
        expect(dead.stderr).toMatch(/The server has not answered for \d+ s \(last: network: .*\): gave up\. Nothing is lost: run the same command again to resume:\n {2}techapi take-control import /);
        const before = new Set(emailsIn(sandbox)).size;
        expect(before).toBeGreaterThanOrEqual(30);
        expect(before).toBeLessThan(400);

        await proxy.up();
        const rerun = await techapi([...args, '--json'], { env });
        expect(rerun.code).toBe(0);
        expect(JSON.parse(rerun.stdout)).toMatchObject({ total: 400, created: 400, failed: 0, existing: 0 });
        const emails = emailsIn(sandbox);
        expect(emails).toHaveLength(400);
        expect(new Set(emails).size).toBe(400);
      } finally {
        await proxy.close();
      }
    });
  });
});

describe('Ctrl-C twice', () => {
  it('the second stops at once, with the request still in flight; the rerun creates each email once', { timeout: 120_000 }, async () => {
    await withSandbox({ latencyMs: 4000 }, async (sandbox, url) => {
      const input = csv('twice-ctrl-c.csv', technicians(20));
      const args = ['take-control', 'import', input, '--base-url', url, '--batch-size', '10'];
      const child = startTechapi(args, { env });
      const run = collect(child, args);
      const journal = `${input}.journal`;
      const deadline = Date.now() + 30_000;
      while (!(existsSync(journal) && readFileSync(journal, 'utf8').includes('"sent"')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      child.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const secondAt = Date.now();
      child.kill('SIGINT');
      const stopped = await run.exited;
      expect(stopped.code).toBe(130);
      // Well before the 4 s the server takes to answer.
      expect(Date.now() - secondAt).toBeLessThan(3000);
      expect(stopped.stderr).toContain('Stopped by Ctrl-C while requests were in flight. Nothing is lost: run the same command again to resume:');
      expect(readFileSync(journal, 'utf8')).not.toContain('"done"');

      const rerun = await techapi([...args, '--json'], { env });
      expect(rerun.code).toBe(0);
      expect(JSON.parse(rerun.stdout)).toMatchObject({ total: 20, created: 20, failed: 0 });
      const emails = emailsIn(sandbox);
      expect(emails).toHaveLength(20);
      expect(new Set(emails).size).toBe(20);
    });
  });
});

describe('the report', () => {
  it('quotes fields holding newlines, so a CSV parser reads back each row whole', { timeout: 60_000 }, async () => {
    const input = join(dir, 'newlines.csv');
    // As Google Sheets writes a cell with a line break: quoted, with a bare LF inside.
    writeFileSync(input, 'email,name,profile\r\nnot-an-email,"Anne\nMarie",support\r\n"b@example.com","Bob ""the, builder""\r\nJr",\r\n');
    const run = await techapi(['take-control', 'import', input, '--dry-run']);
    expect(run.code).toBe(1);
    const report = readFileSync(join(dir, 'newlines.failed.csv'), 'utf8').replace(/^\uFEFF/, '');
    expect(parse(report, { delimiter: report.split('\n')[0]?.includes(';') ? ';' : ',' })).toEqual([
      ['email', 'name', 'profile', 'reason'],
      ['not-an-email', 'Anne\nMarie', 'support', 'line 2: email: is not a valid email'],
    ]);
  });

  it('is removed when a later run has no failure: no stale report is left behind', { timeout: 60_000 }, async () => {
    await withSandbox({}, async (_sandbox, url) => {
      const lines = [...technicians(3), 'bad,Bad,'];
      const input = csv('stale.csv', lines);
      const report = join(dir, 'stale.failed.csv');
      expect((await techapi(['take-control', 'import', input, '--base-url', url], { env })).code).toBe(1);
      expect(existsSync(report)).toBe(true);
      csv('stale.csv', [...technicians(3), 'fixed@example.com,Fixed,']);
      const rerun = await techapi(['take-control', 'import', input, '--base-url', url, '--json'], { env });
      expect(rerun.code).toBe(0);
      expect(JSON.parse(rerun.stdout)).toMatchObject({ total: 4, created: 4, resumed: 3, report: null });
      expect(existsSync(report)).toBe(false);
      expect(existsSync(`${report}.partial`)).toBe(false);
    });
  });
});

