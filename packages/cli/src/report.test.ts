// The failure report in-process: what it writes for each input format, byte for byte, and its life cycle
// (opened before anything is sent, renamed into place, removed when nothing failed).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { FIRST_REASONS, openReport, reportPathFor } from './report.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let reports = 0;
const path = (extension = 'csv') => join(dir, `${++reports}.failed.${extension}`);
const delimited = (columns: string[], delimiter?: string) => ({ format: 'csv' as const, columns: () => columns, dialect: { delimiter, bom: false } });

describe('reportPathFor', () => {
  it('puts the report beside the input, named after it, in a format an import reads back', () => {
    expect(reportPathFor('/in/people.csv', 'csv')).toBe('/in/people.failed.csv');
    expect(reportPathFor('/in/people.xlsx', 'xlsx')).toBe('/in/people.failed.csv');
    expect(reportPathFor('/in/people.txt', 'tsv')).toBe('/in/people.failed.txt');
    expect(reportPathFor('/in/people', 'tsv')).toBe('/in/people.failed.tsv');
    expect(reportPathFor('/in/people.json', 'json')).toBe('/in/people.failed.ndjson');
    expect(reportPathFor('/in/people.jsonl', 'ndjson')).toBe('/in/people.failed.ndjson');
    expect(reportPathFor('/in/leavers.csv', 'csv', '.disable')).toBe('/in/leavers.disable.failed.csv');
  });
});

describe('openReport', () => {
  it("delimited text: a BOM, the input's columns and separator plus the reason, quoted where a value needs it", async () => {
    const file = path();
    const report = openReport(file, delimited(['Email', 'Nom', '', ''], ';'));
    await report.ready();
    expect(existsSync(`${file}.partial`)).toBe(true);
    await report.add(['a@example.com', 'Hélène; "Léna"', ''], 'line 2: name: too long');
    await report.add(['b@example.com', ' Bob', 'extra'], 'line 3: two\nlines');
    await report.add('not a list', 'line 4: unreadable');
    expect(await report.close()).toBe(true);
    expect(existsSync(`${file}.partial`)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(
      '\uFEFFEmail;Nom;reason\n' + 'a@example.com;"Hélène; ""Léna""";line 2: name: too long\n' + 'b@example.com;" Bob";"line 3: two\nlines"\n' + ';;line 4: unreadable\n',
    );
    expect(report.count).toBe(3);
    expect(report.firstReasons).toEqual(['line 2: name: too long', 'line 3: two\nlines', 'line 4: unreadable']);
  });

  it('a report read back in: its old reason column is replaced by the new reason; a comma by default', async () => {
    const file = path();
    const report = openReport(file, delimited(['email', 'reason', 'name']));
    await report.add(['a@example.com', 'line 2: old', 'A'], 'line 2: new');
    await report.close();
    expect(readFileSync(file, 'utf8')).toBe('\uFEFFemail,name,reason\na@example.com,A,line 2: new\n');
  });

  it('JSON in: NDJSON out, each row with its reason; a value that is not an object is kept under "row"', async () => {
    const file = path('ndjson');
    const report = openReport(file, { format: 'json', columns: () => undefined, dialect: { bom: false } });
    await report.add({ email: 'a@example.com', name: 'A' }, 'line 2: bad');
    await report.add([1, 2], 'line 3: not an object');
    await report.add(null, 'line 4: null');
    await report.close();
    expect(readFileSync(file, 'utf8')).toBe(
      '{"email":"a@example.com","name":"A","reason":"line 2: bad"}\n{"row":[1,2],"reason":"line 3: not an object"}\n{"row":null,"reason":"line 4: null"}\n',
    );
  });

  it('quotes a value holding the separator, whatever character --delimiter chose (even one a regex treats apart)', async () => {
    for (const delimiter of ['|', '\t', ']', '^', '\\', '-']) {
      const file = path();
      const report = openReport(file, delimited(['email', 'name'], delimiter));
      await report.add(['a@example.com', `A${delimiter}B`], 'line 2: bad');
      await report.add(['b@example.com', 'plain'], 'line 3: bad');
      await report.close();
      expect(readFileSync(file, 'utf8')).toBe(
        `\uFEFF${['email', 'name', 'reason'].join(delimiter)}\n` +
          `${['a@example.com', `"A${delimiter}B"`, 'line 2: bad'].join(delimiter)}\n` +
          `${['b@example.com', 'plain', 'line 3: bad'].join(delimiter)}\n`,
      );
    }
  });

  it('NDJSON in: NDJSON out; a line that is a string or a number is kept under "row"', async () => {
    const file = path('ndjson');
    const report = openReport(file, { format: 'ndjson', columns: () => undefined, dialect: { bom: false } });
    await report.add({ email: 'a@example.com' }, 'line 1: bad');
    await report.add('a string', 'line 2: not an object');
    await report.add(42, 'line 3: not an object');
    await report.close();
    expect(readFileSync(file, 'utf8')).toBe(
      '{"email":"a@example.com","reason":"line 1: bad"}\n{"row":"a string","reason":"line 2: not an object"}\n{"row":42,"reason":"line 3: not an object"}\n',
    );
  });

  it('a header of empty names only: the report has the reason column alone', async () => {
    const file = path();
    const report = openReport(file, delimited(['', '']));
    await report.add(['x', 'y'], 'line 2: no email column');
    await report.close();
    expect(readFileSync(file, 'utf8')).toBe('\uFEFFreason\nline 2: no email column\n');
  });

  it('waits for the disk when a row is bigger than the stream buffers, and loses none of it', async () => {
    const file = path();
    const report = openReport(file, delimited(['email', 'notes']));
    const notes = 'n'.repeat(200_000);
    for (let line = 2; line < 5; line++) await report.add([`${line}@example.com`, notes], `line ${line}: bad`);
    await report.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.map((text) => text.length)).toEqual(['\uFEFFemail,notes,reason'.length, ...[2, 3, 4].map(() => '2@example.com'.length + 1 + 200_000 + 1 + 'line 2: bad'.length), 0]);
  });

  it(`keeps the first ${FIRST_REASONS} reasons for the terminal, and counts them all`, async () => {
    const report = openReport(path(), delimited(['email']));
    for (let line = 2; line < 10; line++) await report.add([`${line}@example.com`], `line ${line}: bad`);
    expect(report.count).toBe(8);
    expect(report.firstReasons).toEqual(['line 2: bad', 'line 3: bad', 'line 4: bad', 'line 5: bad', 'line 6: bad']);
    await report.close();
  });

  it("with no failure: nothing is written, and an earlier run's report is removed", async () => {
    const file = path();
    writeFileSync(file, 'stale');
    const report = openReport(file, delimited(['email']));
    await report.ready();
    expect(await report.close()).toBe(false);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });

  it('discard removes the unfinished report and leaves an earlier one', async () => {
    const file = path();
    writeFileSync(file, 'earlier');
    const report = openReport(file, delimited(['email']));
    await report.add(['a@example.com'], 'line 2: bad');
    await report.discard();
    expect(existsSync(`${file}.partial`)).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('earlier');
  });

  it('a folder that cannot be written: a usage error naming the report and --report, before anything is sent', async () => {
    const file = join(dir, 'missing', 'x.failed.csv');
    const report = openReport(file, delimited(['email']));
    const opening = report.ready();
    await expect(opening).rejects.toThrow(UsageError);
    await expect(opening).rejects.toThrow(`Cannot write the report ${file}: ENOENT. Pass --report <a file in a folder you can write>.`);
    expect(await report.close()).toBe(false);
  });
});
