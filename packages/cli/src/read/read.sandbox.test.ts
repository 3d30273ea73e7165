// The files admins really have, imported by the built bin into the stateful sandbox: what matters is the state
// it leaves, compared byte for byte with the names as typed. The fixtures are bytes as Excel, Google Sheets
// and an HR tool write them (scripts/reading-fixtures.mjs); each is copied to a temporary directory, where
// the run writes its journal and report.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@techapi/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { techapi, tempDir } from '../testing/run.js';

const env = { TAKE_CONTROL_KEY: 'your-private-key' }; // the sandbox's default
const { dir, remove } = tempDir('cli-read-sandbox-');
afterAll(remove);

const expected = [
  ['francois.ca@example.fr', 'François Ça'],
  ['helene.dupre@example.fr', 'Hélène Dupré'],
  ['sean.obrien@example.ie', "Seán O'Brien"],
  ['zoe.akesson@example.se', 'Zoë Åkesson'],
];

/** A copy of a fixture in the temporary directory, under `name`. */
function copy(fixture: string, name = fixture): string {
  const path = join(dir, name);
  copyFileSync(join(import.meta.dirname, 'fixtures', fixture), path);
  return path;
}

/** The sandbox's technicians as UTF-8 bytes: [email, name] pairs sorted by email. */
function stored(sandbox: Sandbox): Buffer {
  const technicians = sandbox.state()['take-control']?.technicians ?? [];
  const pairs = technicians.map((technician) => [String(technician.email), String(technician.name)]).sort(([a], [b]) => (a as string).localeCompare(b as string));
  return Buffer.from(JSON.stringify(pairs), 'utf8');
}

async function withSandbox(run: (sandbox: Sandbox, url: string) => Promise<void>): Promise<void> {
  const sandbox = await startSandbox({ apis: ['take-control'], port: 0 });
  try {
    await run(sandbox, sandbox.urls['take-control'] as string);
  } finally {
    await sandbox.close();
  }
}

describe('files as spreadsheets and HR tools write them', () => {
  it.each([
    ['excel-fr.csv', `encoding: Windows-1252 (the file is not UTF-8: Excel's "CSV" on Windows); --encoding to choose.`, 1],
    ['excel-utf8.csv', 'columns: email ← "Email", name ← "Name", profile ← "Profile"', 0],
    ['unicode-text.txt', 'encoding: UTF-16 LE (the file starts with its byte order mark).', 0],
    ['google-sheets.csv', 'columns: email ← "Email address", name ← "Full name"', 0],
    ['hr-export.json', 'keys: email ← "Email", name ← "Name"', 0],
    ['workbook.xlsx', 'sheet: "Techniciens", the first of 2 (--sheet NAME reads another).', 0],
  ] as const)('%s: the four names stored exactly as typed', { timeout: 60_000 }, async (fixture, firstLine, failed) => {
    await withSandbox(async (sandbox, url) => {
      const run = await techapi(['take-control', 'import', copy(fixture), '--base-url', url, '--json'], { env });
      expect(JSON.parse(run.stdout)).toMatchObject({ total: 4 + failed, created: 4, failed });
      expect(run.code).toBe(failed);
      expect(run.stderr.startsWith(firstLine)).toBe(true);
      expect(stored(sandbox).toString('hex')).toBe(Buffer.from(JSON.stringify(expected), 'utf8').toString('hex'));
    });
  });

  it('one byte that is not UTF-8 under --encoding utf-8: that row fails, and nothing garbled reaches the sandbox or the report', { timeout: 60_000 }, async () => {
    await withSandbox(async (sandbox, url) => {
      const input = copy('stray-byte.csv');
      const run = await techapi(['take-control', 'import', input, '--encoding', 'utf-8', '--base-url', url, '--json'], { env });
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({ total: 4, created: 3, failed: 1, invalid: 1 });
      const state = JSON.stringify(sandbox.state());
      expect(state).not.toMatch(/\uFFFD|[\uD800-\uDFFF]|\\ud[89a-f]/i);
      expect(stored(sandbox).toString()).toBe(JSON.stringify(expected.filter(([email]) => !email?.startsWith('helene'))));
      const reason = 'line 2: name: byte 0xE9 is not UTF-8 (this report shows "Hélène Dupré", read as Windows-1252): fix the value, or pass --encoding windows-1252 if the whole file is in it';
      expect(run.stderr).toContain(`Why 1 row failed:\n  ${reason}\n`);
      const report = readFileSync(join(dir, 'stray-byte.failed.csv'));
      expect(report.toString('utf8')).toBe(`\uFEFFemail,name,reason\nhelene.dupre@example.fr,Hélène Dupré,"${reason.replaceAll('"', '""')}"\n`);
    });
  });

  it("the French file's report, fixed, imports with the same command", { timeout: 60_000 }, async () => {
    await withSandbox(async (sandbox, url) => {
      const input = copy('excel-fr.csv', 'equipe.csv');
      const first = await techapi(['take-control', 'import', input, '--base-url', url], { env });
      expect(first.code).toBe(1);
      expect(first.stderr).toContain('Why 1 row failed:\n  line 6: email: is not a valid email\n');
      const reportPath = join(dir, 'equipe.failed.csv');
      const report = readFileSync(reportPath, 'utf8');
      expect(report).toBe('\uFEFFAdresse e-mail;Prénom;Nom;Profil;Langue;Service;reason\npas-un-email;Élodie;Érable;support;fr;Accueil;line 6: email: is not a valid email\n');
      writeFileSync(reportPath, report.replace('pas-un-email', 'elodie.erable@example.fr'));
      const again = await techapi(['take-control', 'import', reportPath, '--base-url', url, '--json'], { env });
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ total: 1, created: 1, failed: 0 });
      expect(sandbox.state()['take-control']?.technicians.find((technician) => technician.email === 'elodie.erable@example.fr')).toMatchObject({ name: 'Élodie Érable', language: 'fr' });
    });
  });
});

describe('reading mistakes are usage errors (exit 2) that say how to fix them, before anything is sent', () => {
  it.each([
    ['two.csv', 'Email;Courriel;Nom\na@example.com;b@example.com;A\n', [], /the columns "Email" and "Courriel" both give the field email: keep one, or choose with --column email="Email"\./],
    ['none.csv', 'Mail pro,Nom\na@example.com,A\n', [], /no column gives the email \(its columns: "Mail pro", "Nom"\)\. Name it with --column email=/],
    ['old.xls', 'not read', [], /old Excel workbook \(\.xls\)/],
    ['x.csv', 'email,name\n', ['--column', 'email'], /--column is field=Header/],
    ['y.csv', 'email,name\n', ['--sheet', 'A'], /--sheet is for \.xlsx workbooks/],
  ])('%s', { timeout: 30_000 }, async (name, content, flags, message) => {
    await withSandbox(async (sandbox, url) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      const run = await techapi(['take-control', 'import', path, ...flags, '--base-url', url], { env });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(sandbox.state()['take-control']?.technicians).toEqual([]);
    });
  });

  it('a mapping named with --column imports', { timeout: 30_000 }, async () => {
    await withSandbox(async (sandbox, url) => {
      const path = join(dir, 'mapped.csv');
      writeFileSync(path, 'Mail pro,Nom\na@example.com,A\n');
      const run = await techapi(['take-control', 'import', path, '--column', 'email=Mail pro', '--base-url', url, '--json'], { env });
      expect(run.code).toBe(0);
      expect(run.stderr.split('\n')[0]).toBe('columns: email ← "Mail pro", name ← "Nom"');
      expect(sandbox.state()['take-control']?.technicians.map((technician) => technician.email)).toEqual(['a@example.com']);
    });
  });
});

describe('the first failure reasons are on the terminal, for every format', () => {
  it.each(['json', 'ndjson', 'csv'])('%s: the first 5 of 7', { timeout: 30_000 }, async (format) => {
    const rows = Array.from({ length: 8 }, (_, index) => ({ email: index === 0 ? 'ok@example.com' : `bad${index}`, name: `N${index}` }));
    const content =
      format === 'json' ? JSON.stringify(rows, null, 1) : format === 'ndjson' ? rows.map((row) => JSON.stringify(row)).join('\n') : ['email,name', ...rows.map((row) => `${row.email},${row.name}`)].join('\n');
    const path = join(dir, `seven.${format}`);
    writeFileSync(path, content);
    const run = await techapi(['take-control', 'import', path, '--dry-run'], { env });
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n');
    const at = lines.indexOf('Why rows failed (the first 5 of 7, all in the report):');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 7).map((line) => line.replace(/line \d+/, 'line N'))).toEqual([...Array(5).fill('  line N: email: is not a valid email'), '']);
  });
});
