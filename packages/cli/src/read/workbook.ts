// Stage 2 for workbooks: an .xlsx sheet to records, row by row. Read with exceljs's streaming reader
// (`stream.xlsx.WorkbookReader`): a well-kept library that unzips and parses the sheet as it streams, so a
// 200,000-row workbook is never held whole (its shared strings are, as Excel keeps them in one part).
// exceljs 4.4 is CommonJS and runs on Node 20; it is loaded only when a workbook is read.
// One flaw of its reader is worked around here: it decodes each zip chunk of XML on its own, so a character
// whose UTF-8 bytes fall across two chunks becomes U+FFFD (about 1 row in 7,000 of accented names; exceljs
// issues #2063, #2084, #2316, fixes proposed and not merged). The parts are handed to it already decoded.
// The first sheet of the workbook, or the one `--sheet` names. Each cell becomes the text it shows: a
// formula its result, a link its text, rich text its characters.
import { StringDecoder } from 'node:string_decoder';
import type ExcelJS from 'exceljs';
import { UsageError } from '../errors.js';
import { openFile } from './encoding.js';
import type { TextRecord } from './dialect.js';

export interface Sheet {
  name: string;
  /** The names of every sheet, in the workbook's order. */
  names: string[];
  records: AsyncIterable<TextRecord>;
}

type Reader = ExcelJS.stream.xlsx.WorksheetReader & { name: string };
type WorkbookModel = { sheets?: { name: string }[] };

/** Opens the sheet `wanted` (default: the first) of the workbook `file`; a missing sheet or a broken file is a UsageError. */
export async function openSheet(file: string, wanted?: string): Promise<Sheet> {
  const stream = await openFile(file);
  // Loaded only for a workbook: it is large, and every other command starts faster without it.
  const { default: excel } = await import('exceljs');
  const workbook = new (decodingReader(excel))(stream, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  const sheets = workbook[Symbol.asyncIterator]();
  const names = () => ((workbook as unknown as { model?: WorkbookModel }).model?.sheets ?? []).map((sheet) => sheet.name);
  const broken = (error: unknown) =>
    new UsageError(`Cannot read ${file} as an Excel workbook (.xlsx): ${(error as Error).message}. Open it in Excel and save it again as .xlsx, or as "CSV UTF-8".`);
  try {
    for (let next = await sheets.next(); !next.done; next = await sheets.next()) {
      const reader = next.value as Reader;
      const target = wanted ?? names()[0] ?? reader.name;
      if (reader.name !== target) continue;
      return { name: reader.name, names: names(), records: rowsOf(reader, stream, broken) };
    }
  } catch (error) {
    stream.destroy();
    throw error instanceof UsageError ? error : broken(error);
  }
  stream.destroy();
  const found = names();
  if (wanted) throw new UsageError(`${file} has no sheet "${wanted}": its sheets are ${found.map((name) => `"${name}"`).join(', ') || 'none'}.`);
  throw new UsageError(`${file} has no sheet to read.`);
}

type Internals = {
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
};

/** exceljs's WorkbookReader, given its XML parts as text decoded across chunk boundaries. */
function decodingReader(excel: typeof ExcelJS): typeof ExcelJS.stream.xlsx.WorkbookReader {
  const Base = excel.stream.xlsx.WorkbookReader as unknown as new (...args: unknown[]) => Internals;
  class DecodingReader extends Base {
    override _parseSharedStrings(entry: NodeJS.ReadableStream) {
      entry.setEncoding('utf8'); // the stream's own decoder keeps a character's bytes together
      return super._parseSharedStrings(entry);
    }
    override _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string) {
      return super._parseWorksheet(decoded(iterator), sheetNo);
    }
  }
  return DecodingReader as unknown as typeof ExcelJS.stream.xlsx.WorkbookReader;
}

async function* decoded(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

async function* rowsOf(reader: Reader, stream: NodeJS.ReadableStream & { destroy(): void }, broken: (error: unknown) => Error): AsyncGenerator<TextRecord> {
  try {
    for await (const row of reader) {
      const cells = row.values as unknown[];
      const values: string[] = [];
      for (let index = 1; index < cells.length; index++) values.push(cellText(cells[index]));
      if (values.every((value) => value === '')) continue;
      yield { values, line: row.number };
    }
  } catch (error) {
    throw broken(error);
  } finally {
    // The rest of the workbook (other sheets) is not read.
    stream.destroy();
  }
}

/** The text a cell shows. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const cell = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string; formula?: string };
    if (cell.richText) return cell.richText.map((part) => part.text).join('');
    if ('text' in cell) return cellText(cell.text);
    if ('result' in cell) return cellText(cell.result);
    if (cell.error) return cell.error;
  }
  return '';
}
