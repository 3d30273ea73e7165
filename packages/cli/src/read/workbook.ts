// Stage 2 for workbooks: an .xlsx sheet to records, row by row, streamed: a 200,000-row workbook is never
// held whole (its shared strings are: Excel keeps the text of every cell in that one part).
// exceljs 4.4's streaming `WorkbookReader` (CommonJS, runs on Node 20; loaded only when a workbook is read)
// unzips the workbook, names its sheets and reads the shared strings. The chosen sheet's XML is parsed by
// saxes, the XML parser exceljs itself uses, into plain rows of text: exceljs's own Row and Cell objects
// made reading a workbook ~4x slower than reading the same rows as CSV (tools/bench-read.mjs).
// Its reader also decodes each zip chunk of XML on its own, so a character whose UTF-8 bytes fall across two
// chunks became U+FFFD (exceljs issues #2063, #2084, #2316; fixes proposed, not merged): every part is
// decoded here across chunk boundaries instead.
// The first sheet of the workbook, or the one `--sheet` names. Each cell gives the text it shows: a shared
// or inline string (rich text joined), a number as written, a formula its cached result.
import { StringDecoder } from 'node:string_decoder';
import type ExcelJS from 'exceljs';
import { SaxesParser } from 'saxes';
import { UsageError } from '../errors.js';
import { openFile } from './encoding.js';
import type { TextRecord } from './dialect.js';

export interface Sheet {
  name: string;
  /** The names of every sheet, in the workbook's order. */
  names: string[];
  records: AsyncIterable<TextRecord>;
}

/** What a sheet event of exceljs's reader carries: its name, and (set here) its XML as text. */
type SheetEntry = { name: string; xml?: AsyncIterable<string> };
type Internals = {
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<{ eventType: string; value: SheetEntry }>;
  model?: { sheets?: { name: string }[] };
  sharedStrings?: unknown[];
};

/** Opens the sheet `wanted` (default: the first) of the workbook `file`; a missing sheet or a broken file is a UsageError. */
export async function openSheet(file: string, wanted?: string): Promise<Sheet> {
  const stream = await openFile(file);
  const { default: excel } = await import('exceljs');
  const workbook = new (decodingReader(excel))(stream, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  const internals = workbook as unknown as Internals;
  const sheets = workbook[Symbol.asyncIterator]();
  const names = () => (internals.model?.sheets ?? []).map((sheet) => sheet.name);
  // An XML parser's message ends with a period of its own (saxes: "2:281: unexpected close tag.").
  const broken = (error: unknown) =>
    new UsageError(`Cannot read ${file} as an Excel workbook (.xlsx): ${(error as Error).message.replace(/\.$/, '')}. Open it in Excel and save it again as .xlsx, or as "CSV UTF-8".`);
  try {
    for (let next = await sheets.next(); !next.done; next = await sheets.next()) {
      const sheet = next.value as unknown as SheetEntry;
      if (sheet.name !== (wanted ?? names()[0] ?? sheet.name) || !sheet.xml) continue;
      const records = sheetRecords(sheet.xml, internals.sharedStrings ?? [], broken, () => stream.destroy());
      return { name: sheet.name, names: names(), records };
    }
  } catch (error) {
    stream.destroy();
    throw error instanceof UsageError ? error : broken(error);
  }
  stream.destroy();
  if (wanted) throw new UsageError(`${file} has no sheet "${wanted}": its sheets are ${names().map((name) => `"${name}"`).join(', ') || 'none'}.`);
  throw new UsageError(`${file} has no sheet to read.`);
}

/** exceljs's WorkbookReader, its parts decoded across chunk boundaries, each sheet's XML handed over as text. */
function decodingReader(excel: typeof ExcelJS): typeof ExcelJS.stream.xlsx.WorkbookReader {
  const Base = excel.stream.xlsx.WorkbookReader as unknown as new (...args: unknown[]) => Internals;
  class DecodingReader extends Base {
    override _parseSharedStrings(entry: NodeJS.ReadableStream) {
      entry.setEncoding('utf8'); // the stream's own decoder keeps a character's bytes together
      return super._parseSharedStrings(entry);
    }
    override *_parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string) {
      for (const event of super._parseWorksheet(iterator, sheetNo)) {
        event.value.xml = decoded(iterator);
        yield event;
      }
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

/** `C12` → 2: the 0-based column of a cell reference. */
function columnOf(reference: string): number {
  let column = 0;
  for (let index = 0; index < reference.length; index++) {
    const code = reference.charCodeAt(index);
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
  }
  return column - 1;
}

/**
 * The rows of a sheet's XML (SpreadsheetML `sheetData`: `<row r>` of `<c r t>` holding `<v>`, or `<is><t>`
 * for an inline string), skipping rows with no value. `onEnd` runs when the rows are read or dropped.
 */
async function* sheetRecords(xml: AsyncIterable<string>, shared: unknown[], broken: (error: unknown) => Error, onEnd: () => void): AsyncGenerator<TextRecord> {
  const parser = new SaxesParser();
  const ready: TextRecord[] = [];
  let values: string[] | undefined;
  let line = 0;
  let column = -1;
  let type = '';
  let text = '';
  let inText = false;
  let failure: Error | undefined;
  parser.on('error', (error) => (failure ??= error));
  parser.on('opentag', (node) => {
    const attributes = node.attributes as Record<string, string>;
    if (node.name === 'row') {
      line = attributes.r ? Number(attributes.r) : line + 1;
      values = [];
      column = -1;
    } else if (node.name === 'c') {
      column = attributes.r ? columnOf(attributes.r) : column + 1;
      type = attributes.t ?? 'n';
      text = '';
    } else if (node.name === 'v' || node.name === 't') inText = true;
  });
  parser.on('text', (chunk) => {
    if (inText) text += chunk;
  });
  parser.on('closetag', (node) => {
    if (node.name === 'v' || node.name === 't') inText = false;
    else if (node.name === 'c' && values && column >= 0) values[column] = cellValue(type, text, shared);
    else if (node.name === 'row' && values) {
      let empty = true;
      for (let index = 0; index < values.length; index++) {
        if (values[index] === undefined) values[index] = '';
        else if (values[index] !== '') empty = false;
      }
      if (!empty) ready.push({ values, line });
      values = undefined;
    }
  });
  try {
    for await (const chunk of xml) {
      parser.write(chunk);
      if (failure) throw failure;
      for (const record of ready) yield record;
      ready.length = 0;
    }
    parser.close();
    if (failure) throw failure;
    yield* ready;
  } catch (error) {
    throw broken(error);
  } finally {
    onEnd(); // the rest of the workbook (other sheets) is not read
  }
}

/** The text of a cell of type `type` (`s` shared string, `inlineStr`, `str` formula text, `b`, `e`, `n`). */
function cellValue(type: string, text: string, shared: unknown[]): string {
  if (type === 's') return cellText(shared[Number(text)]);
  if (type === 'b') return text === '1' ? 'TRUE' : text === '0' ? 'FALSE' : text;
  return text;
}

/** The text of a shared string as exceljs keeps it: a string, or rich text runs. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'richText' in value) return (value as { richText: { text: string }[] }).richText.map((part) => part.text).join('');
  return String(value);
}
