// The reading stages, on files written byte by byte: encodings, separators, header names, workbooks, JSON keys.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { openReport } from '../report.js';
import { checkTechnician, technicianFields } from '../schema.js';
import { readAll as read } from '../testing/reading.js';
import { scratch } from '../testing/scratch.js';
import { mapColumns } from './columns.js';
import { countRows, formatOf, STATUS_FIELDS, type ReadOptions, type Row } from './index.js';

const { dir, file } = scratch('cli-read-');
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

const fieldsOf = (rows: Row[]) => rows.map((row) => row.fields);
const names = ['Hélène Dupré', 'François Ça', "Seán O'Brien", 'Zoë Åkesson'];

describe('the spec gives the fields and the checks', () => {
  it("knows TechnicianCreate's fields, in the spec's order", () => {
    expect(technicianFields).toEqual(['email', 'name', 'profile', 'language', 'timezone']);
  });

  it('names the column and the reason of each problem', () => {
    expect(checkTechnician({ email: 'john.doe@example.com', name: 'John Doe' })).toEqual([]);
    expect(checkTechnician({ email: 'not-an-email', name: '' })).toEqual([
      { column: 'email', reason: 'is not a valid email' },
      { column: 'name', reason: 'must not be empty' },
    ]);
    expect(checkTechnician({ name: 'No Email' })).toEqual([{ column: 'email', reason: 'is required' }]);
  });
});

describe('encodings', () => {
  it("reads Excel's French CSV: Windows-1252, ';', CRLF, a trailing empty column, and says so", async () => {
    const { source, rows } = await read(fixture('excel-fr.csv'));
    expect(source.notices).toEqual([
      `encoding: Windows-1252 (the file is not UTF-8: Excel's "CSV" on Windows); --encoding to choose.`,
      'separator: semicolon (";"), from the header line (--delimiter to choose another).',
      'columns: email ← "Adresse e-mail", name ← "Prénom" + "Nom", profile ← "Profil", language ← "Langue"',
      'ignored columns (not sent): Service',
    ]);
    expect(source.dialect).toEqual({ delimiter: ';', encoding: 'windows-1252', bom: false });
    expect(rows.map((row) => row.fields.name)).toEqual([...names, 'Élodie Érable']);
    expect(rows.map((row) => row.line)).toEqual([2, 3, 4, 5, 6]);
    expect(rows.every((row) => row.problems.length === 0)).toBe(true);
  });

  it('reads UTF-8 with a BOM, UTF-16 LE and UTF-16 BE with theirs', async () => {
    expect(fieldsOf((await read(fixture('excel-utf8.csv'))).rows).map((fields) => fields.name)).toEqual(names);
    const utf16 = await read(fixture('unicode-text.txt'));
    expect(utf16.source.notices[0]).toBe('encoding: UTF-16 LE (the file starts with its byte order mark).');
    expect(utf16.source.dialect).toEqual({ delimiter: '\t', encoding: 'utf-16le', bom: true });
    expect(fieldsOf(utf16.rows)[2]).toEqual({ email: 'sean.obrien@example.ie', name: "Seán O'Brien", timezone: 'Europe/Dublin', language: 'en' });
    const text = readFileSync(fixture('unicode-text.txt')).subarray(2).toString('utf16le');
    const big = Buffer.from(text, 'utf16le').swap16();
    const be = await read(file('be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), big])));
    expect(be.rows.map((row) => row.fields.name)).toEqual(names);
  });

  it('fails only the row with a byte that is not UTF-8, with no U+FFFD anywhere', async () => {
    for (const encoding of [undefined, 'utf-8']) {
      const { source, rows } = await read(fixture('stray-byte.csv'), { encoding });
      expect(rows.map((row) => row.fields.name)).toEqual([undefined, ...names.slice(1)]);
      expect(rows[0]?.problems).toEqual([{ column: '', reason: 'name: byte 0xE9 is not UTF-8 (this report shows "Hélène Dupré", read as Windows-1252): fix the value, or pass --encoding windows-1252 if the whole file is in it' }]);
      expect(rows[0]?.original).toEqual(['helene.dupre@example.fr', 'Hélène Dupré']);
      expect(JSON.stringify(rows)).not.toMatch(/\uFFFD|\\ud[b-f]/i);
      if (!encoding) expect(source.notices[0]).toBe('encoding: UTF-8, but 1 byte is not: their rows fail (--encoding windows-1252 if the file is in it).');
    }
    // --encoding overrides the guess: the whole file as Windows-1252 (the UTF-8 rows then read as such).
    const forced = await read(fixture('stray-byte.csv'), { encoding: 'cp1252' });
    expect(forced.rows[0]?.fields.name).toBe('HélÃ¨ne DuprÃ©');
    expect(forced.rows[1]?.fields.name).toBe('FranÃ§ois Ã‡a');
  });

  it('fails a row holding a U+FFFD written in the file (a character lost by another program)', async () => {
    const { rows } = await read(file('fffd.csv', 'email,name\na@example.com,Ren\uFFFD\nb@example.com,B\n'));
    expect(rows[0]?.problems[0]?.reason).toMatch(/^name: holds a character already lost \(U\+FFFD/);
    expect(rows[0]?.original).toEqual(['a@example.com', 'Ren?']);
    expect(rows[1]?.fields).toEqual({ email: 'b@example.com', name: 'B' });
  });

  it('keeps a character whose bytes are split between two chunks of the stream', async () => {
    // The reader takes 256 KiB at a time: put "é" (2 bytes) and "€" (3 bytes) across that boundary.
    for (const pad of [1, 2]) {
      const head = 'email,name\n';
      const filler = `x@example.com,${'a'.repeat(256 * 1024 - head.length - 'x@example.com,'.length - pad)}`;
      const path = file(`split${pad}.csv`, `${head}${filler}\u00e9\u20ac\nb@example.com,B\n`);
      const { rows } = await read(path);
      expect(rows.map((row) => row.problems)).toEqual([[], []]);
      expect(String(rows[0]?.fields.name).slice(-3)).toBe('a\u00e9\u20ac');
    }
  });

  it('refuses an encoding it does not know, naming those it does', async () => {
    await expect(read(fixture('excel-utf8.csv'), { encoding: 'ebcdic' })).rejects.toThrow(/--encoding must be utf-8, utf-16le, utf-16be or windows-1252/);
  });
});

describe('separators', () => {
  it('takes the one the header uses most, outside quotes; --delimiter overrides', async () => {
    const pipe = await read(file('pipe.csv', 'email|name\na@example.com|A, B\n'));
    expect(pipe.rows[0]?.fields).toEqual({ email: 'a@example.com', name: 'A, B' });
    const quoted = await read(file('quoted.csv', '"email; or not",name\na@example.com,A\n'), { columns: { email: 'email; or not' } });
    expect(quoted.source.dialect.delimiter).toBe(',');
    const forced = await read(file('forced.csv', 'email;name\na@example.com;A\n'), { delimiter: 'semicolon' });
    expect(forced.source.notices[0]).toBe('columns: email ← "email", name ← "name"');
    expect(forced.rows[0]?.fields).toEqual({ email: 'a@example.com', name: 'A' });
    await expect(read(file('bad.csv', 'email,name\n'), { delimiter: ';;' })).rejects.toThrow(/--delimiter is one character/);
  });

  it('reads quoted values over several lines (Google Sheets), with each row\'s line', async () => {
    const { source, rows } = await read(fixture('google-sheets.csv'));
    expect(source.notices).toEqual(['columns: email ← "Email address", name ← "Full name"', 'ignored columns (not sent): Notes']);
    expect(rows.map((row) => [row.line, row.fields.name])).toEqual([
      [2, names[0]],
      [4, names[1]],
      [5, names[2]],
      [7, names[3]],
    ]);
    expect(rows[0]?.original).toEqual(['helene.dupre@example.fr', 'Hélène Dupré', 'Arrivée le 3 mars\nbureau 2']);
  });
});

describe('columns', () => {
  const map = (header: string[], fields = technicianFields, overrides = {}) => mapColumns(header, fields, overrides, { file: 'f.csv', noun: 'column' });

  it('recognizes English and French headers in any case, with or without accents, spaces, dashes, underscores', () => {
    expect(map(['E-MAIL', 'Nom complet', 'Profil', 'langue', 'Fuseau_horaire']).describe()).toBe(
      'email ← "E-MAIL", name ← "Nom complet", profile ← "Profil", language ← "langue", timezone ← "Fuseau_horaire"',
    );
    expect(map(['Courriel', 'Nom']).describe()).toBe('email ← "Courriel", name ← "Nom"');
    expect(map(['adresse_e-mail', 'Full Name', 'Time zone']).describe()).toBe('email ← "adresse_e-mail", name ← "Full Name", timezone ← "Time zone"');
  });

  it('joins a name split in two, unless a full-name column is there', () => {
    expect(map(['Email', 'First name', 'Last name']).describe()).toBe('email ← "Email", name ← "First name" + "Last name"');
    expect(map(['Email', 'Nom', 'Prénom']).describe()).toBe('email ← "Email", name ← "Prénom" + "Nom"');
    const full = map(['Email', 'Prénom', 'Nom', 'Nom complet']);
    expect(full.describe()).toBe('email ← "Email", name ← "Nom complet"');
    expect(full.ignored).toEqual(['Prénom', 'Nom']);
  });

  it('names the ignored columns once, and leaves the reason column and empty trailing columns out silently', () => {
    const mapping = map(['Email', 'Name', 'Department', 'reason', '', 'Phone', '', '']);
    expect(mapping.ignored).toEqual(['Department', 'Phone', 'column 5 (no header)']);
    expect(mapping.width).toBe(6);
  });

  it('refuses two columns for one field and a header without email, naming the columns and the flag', () => {
    expect(() => map(['Email', 'Courriel', 'Name'])).toThrow(
      new UsageError('f.csv: the columns "Email" and "Courriel" both give the field email: keep one, or choose with --column email="Email".'),
    );
    expect(() => map(['Mail pro', 'Name'])).toThrow(
      new UsageError('f.csv: no column gives the email (its columns: "Mail pro", "Name"). Name it with --column email="<the column\'s name>", or call it Email, E-mail, Adresse e-mail or Courriel.'),
    );
    expect(map(['Mail pro', 'Name'], technicianFields, { email: 'mail pro' }).describe()).toBe('email ← "Mail pro", name ← "Name"');
    expect(() => map(['Email'], technicianFields, { phone: 'Email' })).toThrow(/--column phone=Email: "phone" is not a field here/);
    expect(() => map(['Email'], technicianFields, { email: 'Courriel' })).toThrow(/--column email=Courriel: f\.csv has no column "Courriel" \(its columns: "Email"\)/);
  });

  it('takes the username names for a status file, but not beside an email column', () => {
    for (const header of ['Email', 'E-mail', 'Adresse e-mail', 'Courriel', 'Username', 'techUsername', 'Identifiant', 'Login']) {
      expect(map([header, 'Nom'], STATUS_FIELDS).describe()).toBe(`email ← "${header}"`);
    }
    const both = map(['Login', 'Email'], STATUS_FIELDS);
    expect(both.describe()).toBe('email ← "Email"');
    expect(both.ignored).toEqual(['Login']);
  });

  it('trims values, counts the rows trimmed, leaves empty values out, and flags a row of the wrong width', async () => {
    const { source, rows } = await read(file('trim.csv', 'Email,Name,Profile,,\n  a@example.com ,A,,,\nb@example.com,B ,admin\nc@example.com,C,support,x\n'));
    expect(fieldsOf(rows)).toEqual([
      { email: 'a@example.com', name: 'A' },
      { email: 'b@example.com', name: 'B', profile: 'admin' },
      { email: 'c@example.com', name: 'C', profile: 'support' },
    ]);
    expect(rows.map((row) => row.problems)).toEqual([[], [], [{ column: '', reason: 'the row has 4 values, the header has 3 columns' }]]);
    expect(source.trimmed()).toBe(2);
    expect(source.endNotices()).toEqual(['trimmed the spaces around values in 2 rows.']);
  });

  it('counts the rows (the progress total) and refuses the same headers before any row', async () => {
    const count = (path: string, options: Partial<ReadOptions> = {}) => countRows(path, { format: formatOf(path), fields: technicianFields, ...options });
    expect(await count(fixture('google-sheets.csv'))).toBe(4);
    expect(await count(fixture('workbook.xlsx'))).toBe(4);
    expect(await count(fixture('hr-export.json'))).toBe(4);
    await expect(count(file('noemail.csv', 'Name;Phone\nA;1\n'))).rejects.toThrow(/no column gives the email/);
    await expect(count(file('empty.csv', ''))).rejects.toThrow(/empty\.csv is empty/);
    await expect(count(file('broken.csv', 'email,name\n"a@example.com,A\n'))).rejects.toThrow(/Cannot read .*broken\.csv as comma \(","\)-separated text/);
  });
});

describe('workbooks', () => {
  it('reads the first sheet of an .xlsx: shared strings, a link, rich text', async () => {
    const { source, rows } = await read(fixture('workbook.xlsx'));
    expect(source.notices).toEqual(['sheet: "Techniciens", the first of 2 (--sheet NAME reads another).', 'columns: email ← "Courriel", name ← "Nom", profile ← "Profil", timezone ← "Fuseau horaire"']);
    expect(rows.map((row) => row.fields.name)).toEqual(names);
    expect(rows[1]?.fields.email).toBe('francois.ca@example.fr');
    expect(rows[2]?.fields).toEqual({ email: 'sean.obrien@example.ie', name: "Seán O'Brien", profile: 'support' });
    expect(rows.map((row) => row.line)).toEqual([2, 3, 4, 5]);
  });

  it.each([true, false])('keeps every accented character of a large workbook, whose bytes fall across the chunks of its zip (shared strings: %s)', async (useSharedStrings) => {
    // Written by exceljs, with shared strings as Excel stores text, or inline as some tools do: ~600 KB of
    // XML, half of it in two-byte characters, so many of its 16 KB inflated chunks end inside a character.
    const path = join(dir, `accents-${useSharedStrings}.xlsx`);
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings });
    const sheet = writer.addWorksheet('Techniciens');
    sheet.addRow(['Courriel', 'Nom']).commit();
    const nameOf = (index: number) => `${names[index % 4]} ${'àéèùç'.repeat(8)} ${index}`;
    for (let index = 0; index < 5000; index++) sheet.addRow([`t${index}@example.com`, nameOf(index)]).commit();
    sheet.commit();
    await writer.commit();
    const { rows } = await read(path);
    expect(rows).toHaveLength(5000);
    expect(rows.filter((row) => row.problems.length > 0)).toEqual([]);
    expect(rows.every((row, index) => row.fields.name === nameOf(index))).toBe(true);
  });

  it('reads the sheet --sheet names, and names the sheets there are when it is missing', async () => {
    expect(fieldsOf((await read(fixture('workbook.xlsx'), { sheet: 'Anciens' })).rows)).toEqual([{ email: 'ancien@example.fr', name: 'Ancien Technicien' }]);
    await expect(read(fixture('workbook.xlsx'), { sheet: 'Nope' })).rejects.toThrow(/has no sheet "Nope": its sheets are "Techniciens", "Anciens"\./);
  });

  it('says what to do with an old .xls, and with a workbook named .csv', async () => {
    expect(() => formatOf('people.XLS')).toThrow(/old Excel workbook \(\.xls\).*save it as \.xlsx, or as "CSV UTF-8/);
    const renamed = file('renamed.csv', readFileSync(fixture('workbook.xlsx')));
    await expect(read(renamed)).rejects.toThrow(/is a zip file, most likely an Excel workbook \(\.xlsx\) under another name.*--format xlsx/);
    expect(() => formatOf('x.pdf')).toThrow(/pass --format csv\|tsv\|json\|ndjson\|xlsx/);
    await expect(read(fixture('workbook.xlsx'), { encoding: 'utf-8' })).rejects.toThrow(/--encoding and --delimiter are for delimited text \(CSV, TSV\); .*workbook\.xlsx is read as a workbook\./);
    await expect(read(fixture('excel-utf8.csv'), { format: 'xlsx' })).rejects.toThrow(/Cannot read .*excel-utf8\.csv as an Excel workbook \(\.xlsx\): .*save it again as \.xlsx, or as "CSV UTF-8"/);
  });
});

describe('JSON and NDJSON', () => {
  it('maps keys as columns are mapped: Email and Name taken, Department ignored and named', async () => {
    const { source, rows } = await read(fixture('hr-export.json'));
    expect(source.notices).toEqual(['keys: email ← "Email", name ← "Name"', 'ignored keys (not sent): Department']);
    expect(fieldsOf(rows).map((fields) => fields.name)).toEqual(names);
    expect(rows[0]?.original).toEqual({ Email: 'helene.dupre@example.fr', Name: 'Hélène Dupré', Department: 'Comptabilité' });
  });

  it('splits a JSON array as it streams, with the line each element starts on', async () => {
    const { rows } = await read(file('a.json', '[\n  {"email": "a@example.com", "name": "A, \\"the\\" [first]"},\n  {"email": "b@example.com",\n   "name": " B "},\n  "text",\n  {"email": "c@example.com", "phone": 1, "Courriel": "d@example.com"}\n]\n'));
    expect(rows.map(({ line, fields, problems }) => ({ line, fields, problems }))).toEqual([
      { line: 2, fields: { email: 'a@example.com', name: 'A, "the" [first]' }, problems: [] },
      { line: 3, fields: { email: 'b@example.com', name: 'B' }, problems: [] },
      { line: 5, fields: {}, problems: [{ column: '', reason: 'the row is not a JSON object' }] },
      { line: 6, fields: {}, problems: [{ column: '', reason: 'the keys "email" and "Courriel" both give the field email: keep one, or choose with --column email="email".' }] },
    ]);
  });

  it('refuses a first object without email, what is not an array, and an array left open', async () => {
    await expect(read(file('b.json', '[{"Mail pro": "a@example.com"}]'))).rejects.toThrow(/no key gives the email \(its keys: "Mail pro"\)/);
    await expect(read(file('c.json', '{"email": "a@example.com"}'))).rejects.toThrow(/a JSON import is an array of objects/);
    await expect(read(file('d.json', '[{"email": "a@example.com"},'))).rejects.toThrow(/not closed/);
  });

  it('reads NDJSON line by line; a line that is not JSON is a row with its reason', async () => {
    const { rows } = await read(file('a.ndjson', '{"E-mail":"a@example.com","Nom":"A"}\n\n{oops\n'));
    expect(rows.map(({ line, fields, problems }) => ({ line, fields, problems: problems.map((problem) => problem.reason.slice(0, 26)) }))).toEqual([
      { line: 1, fields: { email: 'a@example.com', name: 'A' }, problems: [] },
      { line: 3, fields: {}, problems: ['the row is not valid JSON:'] },
    ]);
  });
});

describe('the failure report', () => {
  it("keeps the input's columns, order and separator, in UTF-8 with a BOM; read back, it gives the same rows", async () => {
    const { source, rows } = await read(fixture('excel-fr.csv'));
    const path = join(dir, 'excel-fr.failed.csv');
    const report = openReport(path, source);
    for (const row of rows) await report.add(row.original, `line ${row.line}: a reason; with "quotes"`);
    expect(await report.close()).toBe(true);
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\n');
    expect(lines[0]).toBe('Adresse e-mail;Prénom;Nom;Profil;Langue;Service;reason');
    expect(lines[1]).toBe('helene.dupre@example.fr;Hélène;Dupré;support;fr;Comptabilité;"line 2: a reason; with ""quotes"""');
    const again = await read(path);
    expect(again.source.notices).toEqual([
      'separator: semicolon (";"), from the header line (--delimiter to choose another).',
      'columns: email ← "Adresse e-mail", name ← "Prénom" + "Nom", profile ← "Profil", language ← "Langue"',
      'ignored columns (not sent): Service',
    ]);
    expect(fieldsOf(again.rows)).toEqual(fieldsOf(rows));
  });
});
