// openRows and countRows end to end, on the files a user hands over: which rows come out, with which fields,
// problems and lines, and the notices printed before and after them (the cases index.test.ts leaves out).
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { technicianFields } from '../schema.js';
import { readAll as read } from '../testing/reading.js';
import { scratch } from '../testing/scratch.js';
import { countRows, formatOf } from './index.js';

const { dir, file } = scratch('cli-rows-');

/** A workbook as Excel saves it: one sheet per entry, each an array of rows. */
async function workbook(name: string, sheets: Record<string, unknown[][]>): Promise<string> {
  const book = new ExcelJS.Workbook();
  for (const [sheetName, rows] of Object.entries(sheets)) book.addWorksheet(sheetName).addRows(rows);
  const path = join(dir, name);
  await book.xlsx.writeFile(path);
  return path;
}

const lost = (field: string, encoding = 'UTF-8') =>
  `${field}: holds a character already lost (U+FFFD, or invalid ${encoding}), shown as "?" here: type the value again`;
const jsonError = (text: string) => {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} is valid JSON`);
};

describe('the format', () => {
  it('is --format when given, whatever the extension, and a format it does not know is refused with the list', () => {
    expect(formatOf('people.csv', 'json')).toBe('json');
    expect(formatOf('people.export', 'ndjson')).toBe('ndjson');
    expect(() => formatOf('people.csv', 'xml')).toThrow(new UsageError('--format must be csv, tsv, json, ndjson, xlsx, not "xml".'));
  });

  it('refuses an old .xls workbook given another extension, by its first bytes', async () => {
    const path = file('old.csv', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]));
    await expect(read(path)).rejects.toThrow(
      new UsageError(`${path} is an old Excel workbook (.xls), which techapi does not read: open it in Excel and save it as .xlsx, or as "CSV UTF-8 (Comma delimited)".`),
    );
  });

  it('refuses the flags that do not fit the format, saying which format the file is read as', async () => {
    const csv = file('flags.csv', 'email,name\na@example.com,A\n');
    await expect(read(csv, { sheet: 'Sheet1' })).rejects.toThrow(new UsageError(`--sheet is for .xlsx workbooks; ${csv} is read as csv.`));
    const ndjson = file('flags.ndjson', '{"email":"a@example.com"}\n');
    await expect(read(ndjson, { delimiter: ';' })).rejects.toThrow(new UsageError(`--delimiter is for delimited text (CSV, TSV); ${ndjson} is read as ndjson.`));
    const xlsx = await workbook('flags.xlsx', { Sheet1: [['Email'], ['a@example.com']] });
    await expect(read(xlsx, { delimiter: ';' })).rejects.toThrow(new UsageError(`--encoding and --delimiter are for delimited text (CSV, TSV); ${xlsx} is read as a workbook.`));
  });
});

describe('delimited text', () => {
  it('says nothing of the separator a TSV or a CSV is expected to use, and names one that differs', async () => {
    const tsv = await read(file('people.tsv', 'Email\tName\na@example.com\tA, B\n'));
    expect(tsv.source.notices).toEqual(['columns: email ← "Email", name ← "Name"']);
    expect(tsv.source.dialect).toEqual({ delimiter: '\t', encoding: 'utf-8', bom: false });
    expect(tsv.rows.map((row) => row.fields)).toEqual([{ email: 'a@example.com', name: 'A, B' }]);
    const csv = await read(file('people.csv', 'Email,Name\na@example.com,A\n'));
    expect(csv.source.notices).toEqual(['columns: email ← "Email", name ← "Name"']);
    const tabbed = await read(file('tabbed.csv', 'Email\tName\na@example.com\tA\n'));
    expect(tabbed.source.notices).toEqual(['separator: tab ("\\t"), from the header line (--delimiter to choose another).', 'columns: email ← "Email", name ← "Name"']);
  });

  it('trims the header names, names every ignored column, and joins a split name from the half that is there', async () => {
    const path = file('split.csv', '  Email , Prénom , Nom ,Service,Site\na@example.com,Jean,,IT,Lyon\nb@example.com,,Durand,IT,Lyon\nc@example.com , Zoé,Åkesson,IT,Lyon\n');
    const { source, rows } = await read(path);
    expect(source.columns()).toEqual(['Email', 'Prénom', 'Nom', 'Service', 'Site']);
    expect(source.notices).toEqual(['columns: email ← "Email", name ← "Prénom" + "Nom"', 'ignored columns (not sent): Service, Site']);
    expect(rows.map(({ line, fields, problems }) => ({ line, fields, problems }))).toEqual([
      { line: 2, fields: { email: 'a@example.com', name: 'Jean' }, problems: [] },
      { line: 3, fields: { email: 'b@example.com', name: 'Durand' }, problems: [] },
      { line: 4, fields: { email: 'c@example.com', name: 'Zoé Åkesson' }, problems: [] },
    ]);
    expect(source.trimmed()).toBe(1);
    expect(source.endNotices()).toEqual(['trimmed the spaces around values in 1 row.']);
  });

  it('says how many rows were trimmed only when some were, "row" or "rows" by the count', async () => {
    const none = await read(file('none.csv', 'email,name\na@example.com,A\nb@example.com,B\n'));
    expect([none.source.trimmed(), none.source.endNotices()]).toEqual([0, []]);
    const two = await read(file('two.csv', 'email,name\na@example.com ,A\nb@example.com, B\nc@example.com,C\n'));
    expect([two.source.trimmed(), two.source.endNotices()]).toEqual([2, ['trimmed the spaces around values in 2 rows.']]);
  });

  it('refuses an empty file, giving the fields wanted as an example of the header', async () => {
    const path = file('empty.csv', '');
    await expect(read(path)).rejects.toThrow(
      new UsageError(`${path} is empty: it starts with a header row that names the columns (for example email, name, profile, language, timezone).`),
    );
  });
});

describe('workbooks', () => {
  it("reads a single sheet's rows with no sheet notice and no width check, and fails a cell with a lost character", async () => {
    const path = await workbook('single.xlsx', {
      Techniciens: [
        ['Email', 'Name'],
        ['a@example.com', 'Hélène Dupré'],
        ['b@example.com'],
        ['c@example.com', 'Ren\uFFFD'],
        ['d@example.com', 'D', 'a note beside the table'],
      ],
    });
    const { source, rows } = await read(path);
    expect(source.notices).toEqual(['columns: email ← "Email", name ← "Name"']);
    expect(source.dialect).toEqual({ delimiter: undefined, bom: false });
    expect(source.columns()).toEqual(['Email', 'Name']);
    expect(rows).toEqual([
      { line: 2, fields: { email: 'a@example.com', name: 'Hélène Dupré' }, problems: [], original: ['a@example.com', 'Hélène Dupré'] },
      { line: 3, fields: { email: 'b@example.com' }, problems: [], original: ['b@example.com'] },
      { line: 4, fields: { email: 'c@example.com' }, problems: [{ column: '', reason: lost('name') }], original: ['c@example.com', 'Ren?'] },
      { line: 5, fields: { email: 'd@example.com', name: 'D' }, problems: [], original: ['d@example.com', 'D', 'a note beside the table'] },
    ]);
  });

  it('names the sheet read only when it was not chosen among several', async () => {
    const path = await workbook('two-sheets.xlsx', { Actifs: [['Email'], ['a@example.com']], Anciens: [['Email'], ['old@example.com']] });
    expect((await read(path)).source.notices).toEqual(['sheet: "Actifs", the first of 2 (--sheet NAME reads another).', 'columns: email ← "Email"']);
    const chosen = await read(path, { sheet: 'Actifs' });
    expect(chosen.source.notices).toEqual(['columns: email ← "Email"']);
    expect(chosen.rows.map((row) => row.fields)).toEqual([{ email: 'a@example.com' }]);
  });
});

describe('JSON and NDJSON', () => {
  it('keeps the type of a value from one key, and joins a name from two keys: numbers written out, nulls left out, nothing trimmed', async () => {
    const lines = [
      { Email: 'b@example.com', 'First name': 'Louis', 'Last name': 14 },
      { Email: 'c@example.com', 'First name': 'Marie', 'Last name': null },
      { Email: 'd@example.com', 'First name': null, 'Last name': null },
      { Email: 'e@example.com', Name: 7 },
    ];
    const { source, rows } = await read(file('types.ndjson', lines.map((line) => JSON.stringify(line)).join('\n')));
    expect(rows.map(({ line, fields, problems }) => ({ line, fields, problems }))).toEqual([
      { line: 1, fields: { email: 'b@example.com', name: 'Louis 14' }, problems: [] },
      { line: 2, fields: { email: 'c@example.com', name: 'Marie' }, problems: [] },
      { line: 3, fields: { email: 'd@example.com' }, problems: [] },
      { line: 4, fields: { email: 'e@example.com', name: 7 }, problems: [] },
    ]);
    expect([source.trimmed(), source.endNotices()]).toEqual([0, []]);
  });

  it('trims each half of a name joined from two keys, and counts the row trimmed as a CSV row would be', async () => {
    const people = [
      { Email: 'a@example.com', 'First name': ' Jean ', 'Last name': ' Dupont' },
      { Email: 'b@example.com', 'First name': 'Marie', 'Last name': 'Curie' },
    ];
    const { source, rows } = await read(file('halves.json', JSON.stringify(people)));
    expect(rows.map((row) => row.fields)).toEqual([
      { email: 'a@example.com', name: 'Jean Dupont' },
      { email: 'b@example.com', name: 'Marie Curie' },
    ]);
    expect(source.endNotices()).toEqual(['trimmed the spaces around values in 1 row.']);
  });

  it('counts the rows trimmed, leaves out values of spaces only, and names the keys only later rows have', async () => {
    const lines = [
      { Email: 'a@example.com', Name: 'A', Department: 'IT' },
      { Email: ' b@example.com', Name: 'B ', Department: 'IT', Phone: '1' },
      { Email: 'c@example.com', Name: 'C', Department: 'IT', Phone: '2', Site: 'Lyon' },
      { Email: 'd@example.com', Name: '  ', Department: 'IT' },
    ];
    const { source, rows } = await read(file('later.ndjson', lines.map((line) => JSON.stringify(line)).join('\n')));
    expect(source.notices).toEqual(['keys: email ← "Email", name ← "Name"', 'ignored keys (not sent): Department']);
    expect(rows.map((row) => row.fields)).toEqual([
      { email: 'a@example.com', name: 'A' },
      { email: 'b@example.com', name: 'B' },
      { email: 'c@example.com', name: 'C' },
      { email: 'd@example.com' },
    ]);
    expect(source.trimmed()).toBe(2);
    expect(source.endNotices()).toEqual(['trimmed the spaces around values in 2 rows.', 'ignored keys of later rows (not sent): Phone, Site']);
  });

  it('gives each end notice alone, or none', async () => {
    const ends = async (name: string, lines: object[]) => {
      const { source } = await read(file(name, lines.map((line) => JSON.stringify(line)).join('\n')));
      return source.endNotices();
    };
    expect(await ends('one.ndjson', [{ email: 'a@example.com' }, { email: 'b@example.com ' }])).toEqual(['trimmed the spaces around values in 1 row.']);
    expect(await ends('phone.ndjson', [{ email: 'a@example.com' }, { email: 'b@example.com', Phone: '1' }])).toEqual(['ignored keys of later rows (not sent): Phone']);
    expect(await ends('clean.ndjson', [{ email: 'a@example.com' }, { email: 'b@example.com' }])).toEqual([]);
  });

  it('reads an empty array as no rows, and a first element that is not an object as a row that fails', async () => {
    const empty = file('empty.json', '[]\n');
    const { source, rows } = await read(empty);
    expect([source.notices, rows, source.endNotices()]).toEqual([[], [], []]);
    expect(await countRows(empty, { format: 'json', fields: technicianFields })).toBe(0);
    const nulls = await read(file('null.json', '[\n  null,\n  {"Email": "a@example.com", "Name": "A"}\n]\n'));
    expect(nulls.source.notices).toEqual([]);
    expect(nulls.rows.map(({ line, fields, problems }) => ({ line, fields, problems }))).toEqual([
      { line: 2, fields: {}, problems: [{ column: '', reason: 'the row is not a JSON object' }] },
      { line: 3, fields: { email: 'a@example.com', name: 'A' }, problems: [] },
    ]);
  });

  it('maps a later row by its own keys, even when they spell the first row\'s keys run together', async () => {
    const { rows } = await read(file('together.ndjson', '{"email":"a@example.com","name":"A"}\n{"emailname":"z@example.com"}\n'));
    expect(rows.map(({ fields, problems }) => ({ fields, problems }))).toEqual([
      { fields: { email: 'a@example.com', name: 'A' }, problems: [] },
      {
        fields: {},
        problems: [{ column: '', reason: 'no key gives the email (its keys: "emailname"). Name it with --column email="<the key\'s name>", or call it Email, E-mail, Adresse e-mail or Courriel.' }],
      },
    ]);
  });

  it('fails only the rows holding a lost character, and shows it as "?" in what the report writes', async () => {
    const broken = '{oops Ren\uFFFD';
    const path = file('lost.ndjson', `{"email":"a@example.com","name":"Ren\uFFFD","note":"x"}\n{"email":"b@example.com","name":"B"}\n${broken}\n`);
    const { source, rows } = await read(path);
    expect(source.dialect).toEqual({ encoding: 'utf-8', bom: false });
    expect(rows).toEqual([
      { line: 1, fields: { email: 'a@example.com' }, problems: [{ column: '', reason: lost('name') }], original: { email: 'a@example.com', name: 'Ren?', note: 'x' } },
      { line: 2, fields: { email: 'b@example.com', name: 'B' }, problems: [], original: { email: 'b@example.com', name: 'B' } },
      { line: 3, fields: {}, problems: [{ column: '', reason: `the row is not valid JSON: ${jsonError(broken)}` }], original: '{oops Ren?' },
    ]);
  });

  it('names the encoding of the file in the reason of a character lost in UTF-16', async () => {
    const head = Buffer.from('[{"email": "a@example.com", "name": "X', 'utf16le');
    const tail = Buffer.from('"}]\n', 'utf16le');
    const path = file('utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), head, Buffer.from([0x00, 0xd8]), tail])); // an unpaired surrogate
    const { source, rows } = await read(path);
    expect(source.dialect).toEqual({ encoding: 'utf-16le', bom: true });
    expect(rows).toEqual([
      { line: 1, fields: { email: 'a@example.com' }, problems: [{ column: '', reason: lost('name', 'UTF-16 LE') }], original: { email: 'a@example.com', name: 'X?' } },
    ]);
  });
});
