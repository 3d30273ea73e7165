// A whole run in-process: runRows reads a file as an admin's spreadsheet wrote it, checks its rows, sends
// them to the sandbox through the real client and writes the report, the journal and its lock. The bin's
// tests (cli.test.ts, *.sandbox.test.ts) run the same through a child process.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@techapi/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { takeControl } from './config.js';
import { UsageError } from './errors.js';
import { runRows, type RunOptions } from './import.js';
import type { Progress } from './progress.js';
import { STATUS_FIELDS } from './rows.js';
import { checkEmail, checkTechnician, technicianFields } from './schema.js';
import { deadPid } from './testing/scratch.js';
import { createAction, statusAction } from './send/actions.js';

const KEY = 'import-test-key';
const dir = mkdtempSync(join(tmpdir(), 'cli-run-'));
let sandbox: Sandbox;
let url: string;
beforeAll(async () => {
  sandbox = await startSandbox({ apis: ['take-control'], port: 0, takeControl: { integrationKey: KEY } });
  url = sandbox.urls['take-control'] as string;
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => sandbox.reset());

const silent: Progress = { start: () => {}, update: () => {}, waiting: () => {}, stop: () => {} };
/** The client as the CLI builds it (config.ts): from --base-url and TAKE_CONTROL_KEY, over undici. */
const client = (key = KEY, baseUrl = url) => takeControl({ baseUrl }, { TAKE_CONTROL_KEY: key }).client;
let files = 0;
/** A file of its own folder: its journal, lock and report go beside it. */
function file(name: string, bytes: string | Buffer): string {
  const folder = join(dir, String(++files));
  mkdirSync(folder, { recursive: true });
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
}

function importOptions(path: string, rest: Partial<RunOptions> = {}): RunOptions & { notices: string[] } {
  const notices: string[] = [];
  return {
    file: path,
    format: 'csv',
    fields: technicianFields,
    check: checkTechnician,
    does: { name: 'create', past: 'created' },
    action: createAction(client(), 2),
    journalPath: `${path}.journal`,
    reportPath: `${path}.failed.csv`,
    baseUrl: url,
    progress: silent,
    existing: 'count',
    giveUpMs: 30_000,
    stop: new AbortController().signal,
    abort: new AbortController().signal,
    notice: (text) => notices.push(text),
    notices,
    ...rest,
  };
}

const names = () => (sandbox.state()['take-control']?.technicians ?? []).map((technician) => `${technician.email} ${technician.name}`).sort();

describe('runRows', () => {
  it("imports Excel's French CSV (Windows-1252, ';', CRLF, French headers): names intact, the bad row reported, the first lines said", async () => {
    const text = 'Adresse e-mail;Nom complet;Service\r\nhelene@example.com;Hélène Dupré;RH\r\nfrancois@example.com;François Ça;IT\r\nnot-an-email;Bad;IT\r\n';
    const path = file('people.csv', Buffer.from(text, 'latin1'));
    const options = importOptions(path);
    const summary = await runRows(options);
    expect(summary).toMatchObject({ file: path, dryRun: false, action: 'create', past: 'created', total: 3, done: 2, failed: 1, invalid: 1, report: `${path}.failed.csv`, journal: `${path}.journal` });
    expect(names()).toEqual(['francois@example.com François Ça', 'helene@example.com Hélène Dupré']);
    expect(options.notices.slice(0, 3)).toEqual([
      expect.stringMatching(/windows-1252/i),
      expect.stringMatching(/separator.*;|;.*separator/i),
      expect.stringContaining('email ← "Adresse e-mail", name ← "Nom complet"'),
    ]);
    expect(options.notices).toContain('ignored columns (not sent): Service');
    expect(options.notices.slice(-2)).toEqual(['Why 1 row failed:', '  line 4: email: is not a valid email']);
    expect(readFileSync(`${path}.failed.csv`, 'utf8')).toBe('\uFEFFAdresse e-mail;Nom complet;Service;reason\nnot-an-email;Bad;IT;line 4: email: is not a valid email\n');
    expect(existsSync(`${path}.journal.lock`)).toBe(false);
  });

  it('a dry run sends nothing and writes no journal; the rerun of an import resumes from its journal', async () => {
    const path = file('people.csv', 'email,name\na@example.com,A\nb@example.com,B\na@example.com,Again\n');
    const dry = await runRows(importOptions(path, { action: undefined }));
    expect(dry).toMatchObject({ dryRun: true, total: 3, valid: 2, repeated: 1, failed: 1, done: 0 });
    expect(dry.journal).toBeUndefined();
    expect(existsSync(`${path}.journal`)).toBe(false);
    expect(names()).toEqual([]);
    const first = await runRows(importOptions(path));
    expect(first).toMatchObject({ total: 3, done: 2, failed: 1, repeated: 1, resumed: 0 });
    const started = Date.now();
    const again = await runRows(importOptions(path));
    const wall = (Date.now() - started) / 1000;
    expect(again).toMatchObject({ total: 3, done: 2, failed: 1, resumed: 2 });
    expect(sandbox.requests({ operationId: 'createTechnicians' })).toHaveLength(1);
    // The run's time, and its pace over the rows it handled itself (the resumed ones were done before).
    expect(again.seconds).toBeGreaterThan(0);
    expect(again.seconds).toBeLessThanOrEqual(wall);
    expect(again.rowsPerSecond).toBe(Math.round(1 / again.seconds));
  });

  it("says why rows failed after the reading's notices: one, several, or the first five of more", async () => {
    const clean = importOptions(file('people.csv', 'email,name\na@example.com,A\n'), { action: undefined });
    const summary = await runRows(clean);
    expect(clean.notices).toEqual(['columns: email ← "email", name ← "name"']);
    expect(summary.rowsPerSecond).toBe(Math.round(1 / summary.seconds));
    const two = importOptions(file('people.csv', 'email,name\nbad,A\nworse,B\n'), { action: undefined });
    await runRows(two);
    expect(two.notices.slice(1)).toEqual(['Why 2 rows failed:', '  line 2: email: is not a valid email', '  line 3: email: is not a valid email']);
    const bad = Array.from({ length: 7 }, (_, index) => `bad${index},N`).join('\n');
    const seven = importOptions(file('people.csv', `email,name\n${bad}\n`), { action: undefined });
    await runRows(seven);
    expect(seven.notices.slice(1)).toEqual([
      'Why rows failed (the first 5 of 7, all in the report):',
      ...[2, 3, 4, 5, 6].map((line) => `  line ${line}: email: is not a valid email`),
    ]);
  });

  it("takes over the lock a dead run left, and says whose it was", async () => {
    const path = file('people.csv', 'email,name\na@example.com,A\n');
    const pid = deadPid();
    const dead = { pid, host: hostname(), started: '2026-01-02T03:04:05.000Z' };
    writeFileSync(`${path}.journal.lock`, `${JSON.stringify(dead)}\n`);
    const options = importOptions(path);
    expect(await runRows(options)).toMatchObject({ total: 1, done: 1 });
    expect(options.notices[0]).toBe(
      `The journal's lock ${path}.journal.lock was left by process ${pid} on ${hostname()}, started 2026-01-02T03:04:05.000Z, which is no longer running: taken over.`,
    );
    expect(existsSync(`${path}.journal.lock`)).toBe(false);
  });

  it('disable --file: a column of usernames, one PUT each; an unknown technician fails', async () => {
    sandbox.seed('take-control', { technicians: [{ email: 'leaver@example.com', name: 'Leaver' }] });
    const path = file('leavers.csv', 'Username,Department\nleaver@example.com,IT\nnobody@example.com,IT\n');
    const summary = await runRows(
      importOptions(path, { fields: STATUS_FIELDS, check: checkEmail, does: { name: 'disable', past: 'disabled' }, action: statusAction(client(), 'disabled'), journalPath: `${path}.disable.journal` }),
    );
    expect(summary).toMatchObject({ action: 'disable', past: 'disabled', total: 2, done: 1, failed: 1, refused: 1 });
    expect(sandbox.state()['take-control']?.technicians).toMatchObject([{ email: 'leaver@example.com', status: 'disabled' }]);
  });

  it('a header without an email column is a usage error before anything is written', async () => {
    const path = file('people.csv', 'mail pro,nom\na@example.com,A\n');
    await expect(runRows(importOptions(path))).rejects.toThrow(UsageError);
    expect(existsSync(`${path}.journal`)).toBe(false);
    expect(existsSync(`${path}.failed.csv.partial`)).toBe(false);
  });

  it('a journal that cannot be written: a usage error naming it, nothing sent', async () => {
    const path = file('people.csv', 'email,name\na@example.com,A\n');
    await expect(runRows(importOptions(path, { journalPath: join(dir, 'nowhere', 'x.journal') }))).rejects.toThrow(/^Cannot write the journal's lock .*nowhere.*: ENOENT/);
    expect(sandbox.requests()).toEqual([]);
  });

  it('a key the server refuses stops the run: the unfinished report is removed, the lock released, the journal kept', async () => {
    const path = file('people.csv', 'email,name\nbad\na@example.com,A\n');
    const refused = client('wrong');
    await expect(runRows(importOptions(path, { action: createAction(refused, 2) }))).rejects.toThrow(/refused the integration key/);
    expect(existsSync(`${path}.failed.csv.partial`)).toBe(false);
    expect(existsSync(`${path}.failed.csv`)).toBe(false);
    expect(existsSync(`${path}.journal.lock`)).toBe(false);
    expect(existsSync(`${path}.journal`)).toBe(true);
  });
});
