// `techapi` against the stateful sandbox, run as a user runs it (a child process): what matters is the
// state it leaves. Exact counts and report lines; a rate limit, faults and kill -9 lose nothing and
// create nothing twice.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@techapi/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, cleanEnv, startTechapi, techapi, tempDir } from './testing/run.js';

const KEY = 'your-private-key'; // the sandbox's default
const env = { TAKE_CONTROL_KEY: KEY };
const { dir, remove } = tempDir('cli-sandbox-');
afterAll(remove);

/** `count` valid technicians as CSV lines (no header), tech<from>..tech<from+count-1>. */
const technicians = (count: number, from = 0) =>
  Array.from({ length: count }, (_, index) => `tech${from + index}@example.com,Tech ${from + index},support`);

function csv(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${['email,name,profile', ...lines].join('\n')}\n`);
  return path;
}

/** Every Take Control email in the sandbox, lower case, with how many times each is there. */
function emailsIn(sandbox: Sandbox): Map<string, number> {
  const counts = new Map<string, number>();
  for (const technician of sandbox.state()['take-control']?.technicians ?? []) {
    const email = String(technician.email).toLowerCase();
    counts.set(email, (counts.get(email) ?? 0) + 1);
  }
  return counts;
}

/** The journal's entries, header left out. */
const entries = (journal: string): Record<string, string[]>[] =>
  readFileSync(journal, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => JSON.parse(line));

/** Emails sent with no outcome recorded after: the sends the journal leaves open. */
function openSends(journal: string): string[] {
  const open = new Map<string, number>();
  for (const entry of entries(journal)) {
    for (const email of entry.sent ?? []) open.set(email, (open.get(email) ?? 0) + 1);
    for (const email of entry.rejected ?? []) open.set(email, (open.get(email) ?? 1) - 1);
    for (const email of [...(entry.done ?? []), ...(entry.failed ?? []), ...(entry.existing ?? [])]) open.delete(email);
  }
  return [...open].filter(([, count]) => count > 0).map(([email]) => email);
}

/** How many emails the journal records done. */
const doneIn = (journal: string) => new Set(entries(journal).flatMap((entry) => entry.done ?? [])).size;

/** Whether `email` was sent with no answer before its outcome was recorded. */
function openSendsBefore(journal: string, email: string): boolean {
  let sends = 0;
  for (const entry of entries(journal)) {
    if (entry.sent?.includes(email)) sends++;
    if (entry.rejected?.includes(email)) sends--;
    if (entry.done?.includes(email) || entry.existing?.includes(email) || entry.failed?.includes(email)) return sends > 1;
  }
  return sends > 0;
}

async function withSandbox(options: Parameters<typeof startSandbox>[0], run: (sandbox: Sandbox, url: string) => Promise<void>): Promise<void> {
  const sandbox = await startSandbox({ apis: ['take-control', 'technicien'], port: 0, ...options });
  try {
    await run(sandbox, sandbox.urls['take-control'] as string);
  } finally {
    await sandbox.close();
  }
}

describe('import, 1,000 rows: 3 invalid, 2 repeated in the file, 5 already on the server', () => {
  const lines = technicians(1000);
  lines[99] = 'not-an-email,Bad Email,support'; // line 101
  lines[199] = 'tech199@example.com,,support'; // line 201: no name
  lines[299] = ',No Email,'; // line 301
  lines[997] = 'tech5@example.com,Tech 5 again,'; // line 999: repeats line 7
  lines[998] = 'TECH6@example.com,Tech 6 again,admin'; // line 1000: repeats line 8, ignoring case
  const existing = [10, 250, 500, 750, 996].map((n) => ({ email: `tech${n}@example.com`, name: `Already ${n}` }));

  it.each(['per-item', 'reject-batch'] as const)('counts and reports every row exactly (bulk conflicts: %s)', { timeout: 120_000 }, async (bulkConflicts) => {
    await withSandbox({ takeControl: { bulkConflicts } }, async (sandbox, url) => {
      sandbox.seed('take-control', { technicians: existing });
      const input = csv(`thousand-${bulkConflicts}.csv`, lines);
      const run = await techapi(['take-control', 'import', input, '--base-url', url, '--json'], { env });
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({ total: 1000, created: 990, existing: 5, changed: 0, failed: 5, invalid: 3, repeated: 2, refused: 0, resumed: 0, stopped: null });
      const reportPath = join(dir, `thousand-${bulkConflicts}.failed.csv`);
      const report = readFileSync(reportPath, 'utf8').trimEnd().split('\n');
      expect(report).toEqual([
        '\uFEFFemail,name,profile,reason', // UTF-8 with a BOM, for Excel
        'not-an-email,Bad Email,support,line 101: email: is not a valid email',
        'tech199@example.com,,support,line 201: name: is required',
        ',No Email,,line 301: email: is required',
        'tech5@example.com,Tech 5 again,,"line 999: email: tech5@example.com is repeated: line 7 has it already, and only that row is sent"',
        'TECH6@example.com,Tech 6 again,admin,"line 1000: email: TECH6@example.com is repeated: line 8 has it already, and only that row is sent"',
      ]);
      const emails = emailsIn(sandbox);
      expect(emails.size).toBe(995);
      expect([...emails.values()].every((count) => count === 1)).toBe(true);
      // A seeded technician keeps its own name: the import did not overwrite it.
      expect(sandbox.state()['take-control']?.technicians.find((technician) => technician.email === 'tech10@example.com')?.name).toBe('Already 10');

      // The same command again: nothing is sent twice, the counts are the same.
      const again = await techapi(['take-control', 'import', input, '--base-url', url, '--json'], { env });
      expect(JSON.parse(again.stdout)).toMatchObject({ total: 1000, created: 990, existing: 5, failed: 5, resumed: 990 });
      expect(emailsIn(sandbox).size).toBe(995);

      // --existing fail: the old rule, a row already there is a failure with the server's reason.
      const strict = await techapi(['take-control', 'import', input, '--base-url', url, '--json', '--existing', 'fail'], { env });
      expect(strict.code).toBe(1);
      expect(JSON.parse(strict.stdout)).toMatchObject({ total: 1000, created: 990, existing: 0, failed: 10, refused: 5, resumed: 990 });
      // Rows refused by the server are reported as their batch settles: compare in line order.
      const byLine = (row: string) => Number(/line (\d+):/.exec(row)?.[1]);
      expect(
        readFileSync(reportPath, 'utf8')
          .trimEnd()
          .split('\n')
          .slice(1)
          .filter((row) => row.includes('refused'))
          .sort((a, b) => byLine(a) - byLine(b)),
      ).toEqual([
        'tech10@example.com,Tech 10,support,line 12: refused by the server: Email already exists',
        'tech250@example.com,Tech 250,support,line 252: refused by the server: Email already exists',
        'tech500@example.com,Tech 500,support,line 502: refused by the server: Email already exists',
        'tech750@example.com,Tech 750,support,line 752: refused by the server: Email already exists',
        'tech996@example.com,Tech 996,support,line 998: refused by the server: Email already exists',
      ]);
    });
  });
});

describe('import of JSON and NDJSON', () => {
  it('creates the valid rows of a JSON array and reports the others as NDJSON, each with its reason', { timeout: 60_000 }, async () => {
    await withSandbox({}, async (sandbox, url) => {
      sandbox.seed('take-control', { technicians: [{ email: 'taken@example.com', name: 'Taken' }] });
      const input = join(dir, 'people.json');
      writeFileSync(
        input,
        JSON.stringify(
          [
            { email: 'one@example.com', name: 'One', timezone: 'Europe/Lisbon' },
            { email: 'taken@example.com', name: 'Taken Again' },
            { email: 'two@example.com', name: 'Two', phone: '123' },
            { email: 'ONE@example.com', name: 'One Again' },
          ],
          null,
          1,
        ),
      );
      const run = await techapi(['take-control', 'import', input, '--base-url', url, '--json'], { env });
      // A key the API does not know is not sent, and named once; the row already on the server is existing.
      expect(JSON.parse(run.stdout)).toMatchObject({ total: 4, created: 2, existing: 1, failed: 1, invalid: 0, repeated: 1, refused: 0 });
      expect(run.stderr).toContain('keys: email ← "email", name ← "name", timezone ← "timezone"\n');
      expect(run.stderr).toContain('ignored keys of later rows (not sent): phone\n');
      const report = readFileSync(join(dir, 'people.failed.ndjson'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
      expect(report).toEqual([{ email: 'ONE@example.com', name: 'One Again', reason: 'line 16: email: ONE@example.com is repeated: line 2 has it already, and only that row is sent' }]);
      expect([...emailsIn(sandbox).keys()].sort()).toEqual(['one@example.com', 'taken@example.com', 'two@example.com']);
    });
  });
});

describe('import under stress', () => {
  it('with a rate limit, every row is accounted for and each wait is shown', { timeout: 120_000 }, async () => {
    await withSandbox({ rateLimit: 5 }, async (sandbox, url) => {
      const input = csv('limited.csv', technicians(600));
      const run = await techapi(['take-control', 'import', input, '--base-url', url, '--batch-size', '25', '--json'], { env });
      expect(JSON.parse(run.stdout)).toMatchObject({ total: 600, created: 600, failed: 0 });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/^import: rate limited \(429\), as the server asks, waiting 1\.0 s$/m);
      expect(emailsIn(sandbox).size).toBe(600);
    });
  });

  it.each(['per-item', 'reject-batch'] as const)('with faults on (503s, answers lost), nothing is lost and nothing created twice (%s)', { timeout: 120_000 }, async (bulkConflicts) => {
    await withSandbox({ faults: { errorRate: 0.15, dropRate: 0.15, seed: 7 }, takeControl: { bulkConflicts } }, async (sandbox, url) => {
      sandbox.seed('take-control', { technicians: [{ email: 'tech42@example.com', name: 'Already 42' }] });
      const input = csv(`faults-${bulkConflicts}.csv`, technicians(300));
      const run = await techapi(['take-control', 'import', input, '--base-url', url, '--batch-size', '20', '--json'], { env });
      const summary = JSON.parse(run.stdout);
      expect(run.stderr).toMatch(/no answer \(503 Service unavailable/);
      expect(run.stderr).toMatch(/no answer \(network: /);
      // The one that was there before counts as created only if a lost answer left it in doubt: the
      // journal tells whether tech42 was sent with no answer before the server said it exists.
      const open = openSendsBefore(`${input}.journal`, 'tech42@example.com');
      expect(summary).toMatchObject({ total: 300, created: open ? 300 : 299, existing: open ? 0 : 1, changed: 0, failed: 0 });
      expect(run.code).toBe(0);
      const emails = emailsIn(sandbox);
      expect(emails.size).toBe(300);
      expect([...emails.values()].every((count) => count === 1)).toBe(true);
    });
  });

  it('Ctrl-C stops after the batch in flight, says how to resume, and the same command finishes the job', { timeout: 120_000 }, async () => {
    await withSandbox({ latencyMs: 40 }, async (sandbox, url) => {
      const input = csv('interrupted.csv', technicians(500));
      const args = ['take-control', 'import', input, '--base-url', url, '--batch-size', '10'];
      const child = startTechapi(args, { env });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
      const journal = `${input}.journal`;
      const deadline = Date.now() + 60_000;
      while (!(existsSync(journal) && (readFileSync(journal, 'utf8').match(/"done"/g)?.length ?? 0) >= 3) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill('SIGINT');
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code).toBe(130);
      expect(stderr).toContain('Stopping after the requests in flight (Ctrl-C again to stop now)...');
      expect(stderr).toMatch(/Stopped .*interrupted\.csv: \d+ rows, \d+ created/);
      expect(stderr).toContain(`Nothing is lost: run the same command again to resume:\n  techapi ${args.join(' ')}`);
      // Every batch sent got its answer: the journal has no send left open, and knows every email created.
      const sent = emailsIn(sandbox).size;
      expect(openSends(journal)).toEqual([]);
      expect(doneIn(journal)).toBe(sent);

      const rerun = await techapi([...args, '--json'], { env });
      expect(JSON.parse(rerun.stdout)).toMatchObject({ total: 500, created: 500, failed: 0, resumed: sent });
      expect(emailsIn(sandbox).size).toBe(500);
    });
  });

  it('kill -9 in the middle, then the same command: each email exactly once', { timeout: 120_000 }, async () => {
    await withSandbox({ latencyMs: 40 }, async (sandbox, url) => {
      const input = csv('killed.csv', technicians(1000));
      const child = startTechapi(['take-control', 'import', input, '--base-url', url, '--batch-size', '10'], { env });
      const journal = `${input}.journal`;
      // Wait until some batches are created, then kill without warning.
      const deadline = Date.now() + 60_000;
      while (!(existsSync(journal) && (readFileSync(journal, 'utf8').match(/"done"/g)?.length ?? 0) >= 5) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const before = emailsIn(sandbox).size;
      expect(before).toBeGreaterThanOrEqual(50);
      expect(before).toBeLessThan(1000);

      const rerun = await techapi(['take-control', 'import', input, '--base-url', url, '--batch-size', '10', '--json'], { env });
      expect(rerun.code).toBe(0);
      const summary = JSON.parse(rerun.stdout);
      expect(summary).toMatchObject({ total: 1000, created: 1000, failed: 0 });
      expect(summary.resumed).toBeGreaterThanOrEqual(50);
      const emails = emailsIn(sandbox);
      expect(emails.size).toBe(1000);
      expect([...emails.values()].every((count) => count === 1)).toBe(true);
    });
  });
});

describe('progress', () => {
  it('draws a live bar on a terminal, with rate, ETA and the 429 countdown', { timeout: 120_000 }, async () => {
    await withSandbox({ rateLimit: 2 }, async (_sandbox, url) => {
      const input = csv('tty.csv', technicians(120));
      const command = `stty cols 100 rows 30; '${process.execPath}' '${bin}' take-control import '${input}' --base-url '${url}' --batch-size 20`;
      const output = await new Promise<string>((resolve, reject) => {
        execFile('script', ['-qfec', command, '/dev/null'], { env: cleanEnv(env), timeout: 60_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
      });
      expect(output).toMatch(/\x1b\[\?25l/); // the cursor hidden while the bar is drawn
      expect(output).toMatch(/█+░* \d+\/120 rows \| \d+ rows\/s \| ETA (\d+s|-) \| \d+ created, 0 failed/);
      expect(output).toMatch(/ \| 429: waiting 0\.\d s\x1b/);
      expect(output).toMatch(/█{16} 120\/120 rows \| \d+ rows\/s \| ETA 0s \| 120 created, 0 failed/);
      expect(output).toContain('Imported ');
    });
  });

  it('prints plain lines off a terminal', { timeout: 60_000 }, async () => {
    await withSandbox({}, async (_sandbox, url) => {
      const run = await techapi(['take-control', 'import', csv('plain.csv', technicians(50)), '--base-url', url], { env });
      expect(run.code).toBe(0);
      expect(run.stderr).not.toMatch(/\x1b/);
      expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/^import: 50\/50 rows \(100%\), created 50, failed 0, \d+ rows\/s$/);
      expect(run.stdout).toMatch(/^Imported .*plain\.csv: 50 rows, 50 created, 0 failed, in [\d.]+ s \(\d+ rows\/s\)\.\nJournal: .*plain\.csv\.journal \(the same command again resumes; delete it to start over\)\.\n$/);
    });
  });
});

describe('the other commands change the sandbox', () => {
  it('take-control create, then disable and enable', { timeout: 60_000 }, async () => {
    await withSandbox({}, async (sandbox, url) => {
      const base = ['--base-url', url];
      const created = await techapi(['take-control', 'create', '--email', 'jane@example.com', '--name', 'Jane Doe', '--language', 'fr', ...base], { env });
      expect(created.stdout).toBe('Created jane@example.com.\n');
      expect(created.code).toBe(0);
      const again = await techapi(['take-control', 'create', '--email', 'jane@example.com', '--name', 'Jane Doe', ...base, '--json'], { env });
      expect(again.code).toBe(1);
      expect(JSON.parse(again.stdout)).toEqual({ ok: false, error: { kind: 'http', status: 409, message: 'Email already exists' } });
      const state = () => sandbox.state()['take-control']?.technicians.find((technician) => technician.email === 'jane@example.com');
      expect(state()).toMatchObject({ name: 'Jane Doe', language: 'fr' });
      expect((await techapi(['take-control', 'disable', 'jane@example.com', ...base], { env })).stdout).toBe('jane@example.com is disabled.\n');
      expect(state()?.status).toBe('disabled');
      await techapi(['take-control', 'enable', 'jane@example.com', ...base], { env });
      expect(state()?.status).toBe('enabled');
      const wrongKey = await techapi(['take-control', 'enable', 'jane@example.com', ...base], { env: { TAKE_CONTROL_KEY: 'wrong-key' } });
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.stderr).toMatch(/^Failed: 403 /);
    });
  });

  it('technicien grant (login from the environment, password from a file) and update (a GET with a body)', { timeout: 60_000 }, async () => {
    await withSandbox({}, async (sandbox, _url) => {
      const url = sandbox.urls.technicien as string;
      const passwordFile = join(dir, 'ocean-password');
      writeFileSync(passwordFile, 'demo\n');
      const auth = ['--base-url', url, '--password-file', passwordFile];
      const granted = await techapi(['technicien', 'grant', '--emails', 'tech1@example.com,tech2@example.com', '--code-exploitant', 'EXP01', '--until', '2026-12-31', ...auth], {
        env: { OCEAN_LOGIN: 'demo' },
      });
      expect(granted.stdout).toBe('Granted 2 technicians access to EXP01 until 2026-12-31.\n');
      expect(granted.code).toBe(0);
      expect(sandbox.state().technicien?.grants).toEqual(
        expect.arrayContaining([expect.objectContaining({ email: 'tech1@example.com', codeExploitant: 'EXP01', dateFin: '2026-12-31' })]),
      );

      const team = join(dir, 'team.txt');
      writeFileSync(team, 'tech2@example.com\n\n');
      const fromFile = await techapi(['technicien', 'grant', '--emails-file', team, '--code-exploitant', 'EXP01', '--until', '2027-01-31', '--login', 'demo', ...auth]);
      expect(fromFile.stdout).toBe('Granted 1 technician access to EXP01 until 2027-01-31.\n');
      expect(sandbox.state().technicien?.grants).toEqual(expect.arrayContaining([expect.objectContaining({ email: 'tech2@example.com', dateFin: '2027-01-31' })]));

      const technicien = sandbox.state().technicien?.techniciens.find((candidate) => candidate.id === 1);
      const file = join(dir, 'technicien.json');
      writeFileSync(file, JSON.stringify({ ...technicien, passwordValidityDurationNbDays: 45 }));
      const updated = await techapi(['technicien', 'update', file, ...auth, '--login', 'demo', '--json']);
      expect(updated.code).toBe(0);
      expect(JSON.parse(updated.stdout)).toMatchObject({ ok: true, data: { id: 1, passwordValidityDurationNbDays: 45 } });
      expect(sandbox.state().technicien?.techniciens.find((candidate) => candidate.id === 1)).toMatchObject({ passwordValidityDurationNbDays: 45 });
      for (const text of [granted.stdout, granted.stderr, updated.stdout, updated.stderr]) expect(text).not.toMatch(/demo\b(?!@)/);
    });
  });
});
