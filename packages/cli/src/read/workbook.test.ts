// Stage 2 for workbooks alone: the text each cell of a sheet gives, which rows come out with which line, and
// what a broken or empty workbook says. Workbooks are written by exceljs as Excel saves them, or by hand (the
// SpreadsheetML other tools write: rows and cells without references, inline strings) in a plain zip.
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import type { TextRecord } from './dialect.js';
import { cellText, openSheet } from './workbook.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-workbook-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A zip of `entries`, stored (not deflated), in the order given. */
function zip(entries: [string, string | Buffer][]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = Buffer.from(content);
    const fileName = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(0x21, 14);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(data.length, 20);
    record.writeUInt32LE(data.length, 24);
    record.writeUInt16LE(fileName.length, 28);
    record.writeUInt32LE(offset, 42);
    parts.push(local, fileName, data);
    central.push(record, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** A workbook written by hand: its sheets' `sheetData` contents (or whole XML), in order, the shared strings first. */
function handWritten(name: string, sheets: Record<string, string>): string {
  const names = Object.keys(sheets);
  const entries: [string, string][] = [
    [
      'xl/workbook.xml',
      `${XML}<workbook xmlns="${MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` +
        names.map((sheet, index) => `<sheet name="${sheet}" sheetId="${index + 1}" r:id="rId${index + 1}"/>`).join('') +
        '</sheets></workbook>',
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        names
          .map((_, index) => `<Relationship Id="rId${index + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${index + 1}.xml"/>`)
          .join('') +
        '</Relationships>',
    ],
    ['xl/sharedStrings.xml', `${XML}<sst xmlns="${MAIN}" count="0" uniqueCount="0"/>`],
    ...names.map((sheet, index): [string, string] => [`xl/worksheets/sheet${index + 1}.xml`, whole(sheets[sheet] as string)]),
  ];
  const path = join(dir, name);
  writeFileSync(path, zip(entries));
  return path;
}

/** A workbook as Excel saves it, from exceljs: one sheet per entry, each given its rows. */
async function excel(name: string, sheets: Record<string, (sheet: ExcelJS.Worksheet) => void>): Promise<string> {
  const book = new ExcelJS.Workbook();
  for (const [sheetName, fill] of Object.entries(sheets)) fill(book.addWorksheet(sheetName));
  const path = join(dir, name);
  await book.xlsx.writeFile(path);
  return path;
}

async function records(path: string, wanted?: string): Promise<{ name: string; names: string[]; records: TextRecord[] }> {
  const sheet = await openSheet(path, wanted);
  const all: TextRecord[] = [];
  for await (const record of sheet.records) all.push(record);
  return { name: sheet.name, names: sheet.names, records: all };
}

const whole = (rows: string) => (rows.startsWith(XML) ? rows : `${XML}<worksheet xmlns="${MAIN}"><sheetData>${rows}</sheetData></worksheet>`);
const inline = (text: string) => `<c t="inlineStr"><is><t>${text}</t></is></c>`;

describe('the text of each cell', () => {
  it('is what Excel shows: text, rich text, a link, a formula, numbers and dates as stored, TRUE/FALSE, an error', async () => {
    const path = await excel('cells.xlsx', {
      People: (sheet) => {
        sheet.addRow(['Email', 'Name', 'Active', 'Sites', 'Started']);
        sheet.addRow(['a@example.com', { richText: [{ text: 'Zoë ', font: { bold: true } }, { text: 'Åkesson' }] }, true, 1, new Date(Date.UTC(2024, 0, 15))]);
        sheet.addRow([{ text: 'b@example.com', hyperlink: 'mailto:b@example.com' }, { formula: 'UPPER("b")', result: 'B' }, false, 0, 45306.5]);
        sheet.addRow(['c@example.com', null, { error: '#N/A' }]);
      },
    });
    expect(await records(path)).toEqual({
      name: 'People',
      names: ['People'],
      records: [
        { line: 1, values: ['Email', 'Name', 'Active', 'Sites', 'Started'] },
        { line: 2, values: ['a@example.com', 'Zoë Åkesson', 'TRUE', '1', '45306'] },
        { line: 3, values: ['b@example.com', 'B', 'FALSE', '0', '45306.5'] },
        { line: 4, values: ['c@example.com', '', '#N/A'] },
      ],
    });
  });

  it('is an inline string (rich text joined) and a formula result in a workbook written without shared strings', async () => {
    const path = join(dir, 'inline.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
    const sheet = writer.addWorksheet('Export');
    sheet.addRow(['Email', { richText: [{ text: 'Full ' }, { text: 'name', font: { italic: true } }] }, { formula: 'LEN(A1)', result: 5 }]).commit();
    sheet.addRow(['a@example.com', { richText: [{ text: 'Hélène ' }, { text: 'Dupré' }] }, { formula: 'A2&"!"', result: 'a@example.com!' }]).commit();
    sheet.commit();
    await writer.commit();
    expect((await records(path)).records).toEqual([
      { line: 1, values: ['Email', 'Full name', '5'] },
      { line: 2, values: ['a@example.com', 'Hélène Dupré', 'a@example.com!'] },
    ]);
  });

  it('is in its column past Z (AA, AB...), as in a wide export', async () => {
    const header = Array.from({ length: 28 }, (_, index) => `Column ${index + 1}`);
    const path = await excel('wide.xlsx', {
      Export: (sheet) => {
        sheet.addRow(header);
        sheet.getCell('Y2').value = 'y';
        sheet.getCell('Z2').value = 'z';
        sheet.getCell('AB2').value = 'ab';
      },
    });
    const [, row] = (await records(path)).records;
    expect(row).toEqual({ line: 2, values: [...Array<string>(24).fill(''), 'y', 'z', '', 'ab'] });
  });

  it('of a shared string is its text, rich text runs joined, and nothing for none', () => {
    expect(cellText('Hélène')).toBe('Hélène');
    expect(cellText({ richText: [{ text: 'Zoë ', font: { bold: true } }, { text: 'Åkesson' }] })).toBe('Zoë Åkesson');
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
    expect(cellText(12)).toBe('12');
  });
});

describe('the rows of a sheet', () => {
  it('leave out rows with no value (formatted, or only a height), and fill the cells a row skips with empty text', async () => {
    const path = await excel('sparse.xlsx', {
      People: (sheet) => {
        sheet.addRow(['Email', 'Name', 'Team']);
        sheet.getCell('A2').value = 'a@example.com';
        sheet.getCell('C2').value = 'Support';
        sheet.getRow(3).height = 30;
        sheet.getCell('A4').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
        sheet.getCell('B4').border = { top: { style: 'thin' } };
        sheet.getCell('B5').value = 'No email';
      },
    });
    expect((await records(path)).records).toEqual([
      { line: 1, values: ['Email', 'Name', 'Team'] },
      { line: 2, values: ['a@example.com', '', 'Support'] },
      { line: 5, values: ['', 'No email'] },
    ]);
  });

  it('are numbered, and their cells placed, by their order when the sheet gives no references', async () => {
    const path = handWritten('no-references.xlsx', {
      People:
        `<row>${inline('Email')}${inline('Name')}</row>` +
        `<row>${inline('a@example.com')}<c><v>42</v></c></row>` +
        `<row r="5"><c r="B5" t="inlineStr"><is><t>B only</t></is></c>${inline('then C')}</row>` +
        `<row>${inline('b@example.com')}${inline('B')}</row>`,
    });
    expect(await records(path)).toEqual({
      name: 'People',
      names: ['People'],
      records: [
        { line: 1, values: ['Email', 'Name'] },
        { line: 2, values: ['a@example.com', '42'] },
        { line: 5, values: ['', 'B only', 'then C'] },
        { line: 6, values: ['b@example.com', 'B'] },
      ],
    });
  });

  it('come from the sheet --sheet names, among the sheets of the workbook in order', async () => {
    const path = handWritten('sheets.xlsx', {
      Actifs: `<row r="1">${inline('Email')}</row><row r="2">${inline('a@example.com')}</row>`,
      Anciens: `<row r="1">${inline('Email')}</row><row r="3">${inline('old@example.com')}</row>`,
    });
    expect(await records(path, 'Anciens')).toEqual({
      name: 'Anciens',
      names: ['Actifs', 'Anciens'],
      records: [
        { line: 1, values: ['Email'] },
        { line: 3, values: ['old@example.com'] },
      ],
    });
  });

  // Linux shows a process's open files in /proc: elsewhere this is not checked.
  it.skipIf(!existsSync('/proc/self/fd'))('let the workbook file go once they are read, without reading the sheets after them', async () => {
    const big = Array.from({ length: 100_000 }, (_, index) => `<row r="${index + 2}">${inline(`t${index}@example.com`)}</row>`).join('');
    const path = handWritten('let-go.xlsx', { Actifs: `<row r="1">${inline('Email')}</row><row r="2">${inline('a@example.com')}</row>`, Archive: big });
    const open = () => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
    expect((await records(path)).records).toEqual([
      { line: 1, values: ['Email'] },
      { line: 2, values: ['a@example.com'] },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(open()).toEqual([]);
  });
});

describe('a workbook that cannot be read', () => {
  it('has no sheet to read, or not the one --sheet names', async () => {
    const path = handWritten('no-sheets.xlsx', {});
    await expect(openSheet(path)).rejects.toThrow(new UsageError(`${path} has no sheet to read.`));
    await expect(openSheet(path, 'People')).rejects.toThrow(new UsageError(`${path} has no sheet "People": its sheets are none.`));
  });

  const broken = (path: string, reason: string) =>
    new UsageError(`Cannot read ${path} as an Excel workbook (.xlsx): ${reason}. Open it in Excel and save it again as .xlsx, or as "CSV UTF-8".`);
  async function readUntilError(path: string): Promise<{ read: TextRecord[]; error: unknown }> {
    const sheet = await openSheet(path);
    const read: TextRecord[] = [];
    try {
      for await (const record of sheet.records) read.push(record);
    } catch (error) {
      return { read, error };
    }
    return { read, error: undefined };
  }

  it('is a UsageError saying to save it again when its sheet is cut short, once the rows before the cut are read', async () => {
    const path = handWritten('cut.xlsx', { People: `${XML}<worksheet xmlns="${MAIN}"><sheetData><row r="1">${inline('Email')}</row><row r="2">${inline('a@exam')}` });
    expect(await readUntilError(path)).toEqual({ read: [{ line: 1, values: ['Email'] }], error: broken(path, '2:201: unclosed tag: row') });
  });

  it('is a UsageError when its sheet is not well-formed XML, with no row of that part read', async () => {
    const path = handWritten('mismatched.xlsx', { People: `<row r="1">${inline('Email')}</row><row r="2">${inline('a@example.com')}</row><row r="3">${inline('b@example.com')}</rwo>` });
    expect(await readUntilError(path)).toEqual({ read: [], error: broken(path, '2:281: unexpected close tag') });
  });
});
