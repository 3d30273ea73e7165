// Reading an input file, in three stages a reader can follow, each a module of its own:
//   bytes → text (encoding.ts), text or workbook → records (dialect.ts, workbook.ts), records → rows (columns.ts).
// `openRows` gives the rows of a file one at a time, whatever its size, keyed by the API's field names;
// `countRows` counts them first (the progress total) and finds an unreadable file or header before anything
// is sent. The import and the `--file` forms of enable/disable read their files through here alike.
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import type { FieldProblem } from '../schema.js';
import { mapColumns, REASON_COLUMN, type Mapping } from './columns.js';
import { delimitedRecords, delimiterName, jsonArrayRecords, ndjsonRecords, parseDelimiter, type JsonRecord, type TextRecord } from './dialect.js';
import { describeUndecodable, ENCODING_NAMES, openFile, openText, parseEncoding, undecodable, type Encoding } from './encoding.js';
import { openSheet } from './workbook.js';

export { REASON_COLUMN } from './columns.js';
export type { Encoding } from './encoding.js';

export type InputFormat = 'csv' | 'tsv' | 'json' | 'ndjson' | 'xlsx';
export const INPUT_FORMATS: readonly InputFormat[] = ['csv', 'tsv', 'json', 'ndjson', 'xlsx'];

/** The fields a status file (`enable --file`, `disable --file`) reads: a column that names the email (or username). */
export const STATUS_FIELDS: readonly string[] = ['email'];

export interface ReadOptions {
  format: InputFormat;
  /** The API fields wanted, e.g. `technicianFields`, or `STATUS_FIELDS` for a status file. */
  fields: readonly string[];
  /** `--encoding`: utf-8, utf-16le, utf-16be, windows-1252 (cp1252, latin1); default: from the file. */
  encoding?: string;
  /** `--delimiter`: one character, or comma, semicolon, tab, pipe; default: from the header line. */
  delimiter?: string;
  /** `--column field=Header`: the header that gives a field, over the recognized names. */
  columns?: Readonly<Record<string, string>>;
  /** `--sheet NAME`: the workbook's sheet; default: the first. */
  sheet?: string;
}

export interface Row {
  /** The line of the file where the row starts (1-based; a delimited file's header is line 1; a sheet's row number). */
  line: number;
  /** The row's fields, as the API takes them (values trimmed, empty ones left out). */
  fields: Record<string, unknown>;
  /** What makes the row unreadable before the schema is even checked (bad JSON, a column count, a byte that cannot be decoded). */
  problems: FieldProblem[];
  /** The row as written, for the failure report: the values, or the JSON value (or text when unparsable). */
  original: string[] | unknown;
}

/** How the file was written, for a failure report written the same way. */
export interface Dialect {
  /** The separator of delimited text (undefined for JSON and workbooks). */
  delimiter?: string;
  encoding?: Encoding;
  /** Whether the input started with a byte order mark. */
  bom: boolean;
}

export interface RowSource {
  format: InputFormat;
  /** The header as written (a delimited file's or a sheet's first row); undefined for JSON. */
  columns(): string[] | undefined;
  dialect: Dialect;
  /** Lines to print before the rows: the encoding when guessed, the separator, the sheet, the columns taken and ignored. */
  notices: string[];
  /** Lines to print once the rows are read: how many rows had values trimmed, keys ignored in later JSON rows. */
  endNotices(): string[];
  /** How many rows had spaces around a value, trimmed. */
  trimmed(): number;
  rows: AsyncIterable<Row>;
}

const EXTENSIONS: Record<string, InputFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.txt': 'tsv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.xlsx': 'xlsx',
  '.xlsm': 'xlsx',
};

/** The format of `file`: `--format`, else its extension. An old .xls workbook, or an unknown extension, is a UsageError. */
export function formatOf(file: string, format?: string): InputFormat {
  if (format !== undefined) {
    if ((INPUT_FORMATS as readonly string[]).includes(format)) return format as InputFormat;
    throw new UsageError(`--format must be ${INPUT_FORMATS.join(', ')}, not "${format}".`);
  }
  const extension = extname(file).toLowerCase();
  if (extension === '.xls') throw oldWorkbook(file);
  const chosen = EXTENSIONS[extension];
  if (chosen) return chosen;
  throw new UsageError(
    `Cannot tell the format of ${file} from its extension: name it .csv, .tsv, .txt, .json, .ndjson, .jsonl or .xlsx, or pass --format ${INPUT_FORMATS.join('|')}.`,
  );
}

const oldWorkbook = (file: string) =>
  new UsageError(`${file} is an old Excel workbook (.xls), which techapi does not read: open it in Excel and save it as .xlsx, or as "CSV UTF-8 (Comma delimited)".`);

/** Opens `file` and reads rows of `options.fields` from it; an unreadable file or header is a UsageError. */
export async function openRows(file: string, options: ReadOptions): Promise<RowSource> {
  return (await open(file, options)).source;
}

/**
 * Counts the rows of `file` (for the progress total), finding an unreadable file or header before anything
 * is sent. Records are counted as they are parsed, with no row built for them.
 */
export async function countRows(file: string, options: ReadOptions): Promise<number> {
  const { records } = await open(file, options);
  let count = 0;
  for await (const _ of records) count++;
  return count;
}

interface Opened {
  source: RowSource;
  /** The records after the header, not made rows (for counting). */
  records: AsyncIterable<unknown>;
}

async function open(file: string, options: ReadOptions): Promise<Opened> {
  const encoding = options.encoding === undefined ? undefined : parseEncoding(options.encoding);
  const delimiter = options.delimiter === undefined ? undefined : parseDelimiter(options.delimiter);
  const overrides = options.columns ?? {};
  const { format, fields } = options;
  if (format === 'xlsx') {
    if (encoding !== undefined || delimiter !== undefined) throw new UsageError(`--encoding and --delimiter are for delimited text (CSV, TSV); ${file} is read as a workbook.`);
    const sheet = await openSheet(file, options.sheet);
    const notices = sheet.names.length > 1 && options.sheet === undefined ? [`sheet: "${sheet.name}", the first of ${sheet.names.length} (--sheet NAME reads another).`] : [];
    return delimitedSource(file, format, sheet.records, { delimiter: undefined, bom: false }, notices, fields, overrides, { strictWidth: false, suspect: () => true });
  }
  if (options.sheet !== undefined) throw new UsageError(`--sheet is for .xlsx workbooks; ${file} is read as ${format}.`);
  await refuseContainers(file, format);
  const text = await openText(file, encoding);
  const notices = text.notice ? [text.notice] : [];
  let suspect = false;
  const bytes = watch(text.bytes, () => (suspect = true));
  if (format === 'json' || format === 'ndjson') {
    if (delimiter !== undefined) throw new UsageError(`--delimiter is for delimited text (CSV, TSV); ${file} is read as ${format}.`);
    const records = format === 'ndjson' ? ndjsonRecords(bytes) : jsonArrayRecords(file, bytes);
    return jsonSource(file, format, records, { encoding: text.encoding, bom: text.bom }, notices, fields, overrides, () => suspect);
  }
  const fallback = format === 'tsv' ? '\t' : ',';
  const delimited = await delimitedRecords(file, bytes, { delimiter, fallback });
  if (delimited.detected && delimited.delimiter !== fallback) notices.push(`separator: ${delimiterName(delimited.delimiter)}, from the header line (--delimiter to choose another).`);
  const dialect = { delimiter: delimited.delimiter, encoding: text.encoding, bom: text.bom };
  return delimitedSource(file, format, delimited.records, dialect, notices, fields, overrides, { strictWidth: true, suspect: () => suspect });
}

/** A zip (an .xlsx under another name) or an old .xls read as text would be garbage: say what the file is. */
async function refuseContainers(file: string, format: InputFormat): Promise<void> {
  const stream = await openFile(file);
  const head: Buffer = await new Promise((resolve) => {
    stream.once('data', (chunk) => resolve(chunk as Buffer));
    stream.once('end', () => resolve(Buffer.alloc(0)));
  });
  stream.destroy();
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    throw new UsageError(`${file} is a zip file, most likely an Excel workbook (.xlsx) under another name, not ${format}: name it .xlsx or pass --format xlsx.`);
  }
  if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) throw oldWorkbook(file);
}

const FFFD_UTF8 = Buffer.from('\uFFFD');
/** Passes the bytes on, calling `onSuspect` once a chunk holds a marker or a U+FFFD (their values are then checked). */
async function* watch(bytes: AsyncIterable<Buffer>, onSuspect: () => void): AsyncGenerator<Buffer> {
  for await (const chunk of bytes) {
    if (chunk.includes(FFFD_UTF8) || chunk.includes(0xf4)) onSuspect(); // U+10FExx markers start with 0xF4 in UTF-8
    yield chunk;
  }
}

function mappingNotices(mapping: Mapping, noun: string): string[] {
  return [`columns: ${mapping.describe()}`, ...(mapping.ignored.length ? [`ignored ${noun}s (not sent): ${mapping.ignored.join(', ')}`] : [])];
}

async function delimitedSource(
  file: string,
  format: InputFormat,
  records: AsyncIterable<TextRecord>,
  dialect: Dialect,
  notices: string[],
  fields: readonly string[],
  overrides: Readonly<Record<string, string>>,
  options: { strictWidth: boolean; suspect: () => boolean },
): Promise<Opened> {
  const iterator = records[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) {
    throw new UsageError(`${file} is empty: it starts with a header row that names the columns (for example ${fields.join(', ')}).`);
  }
  const header = first.value.values.map((name) => name.trim());
  const mapping = mapColumns(header, fields, overrides, { file, noun: 'column' });
  notices.push(...mappingNotices(mapping, 'column'));
  const rest: AsyncIterable<TextRecord> = { [Symbol.asyncIterator]: () => iterator };
  const encoding = dialect.encoding ?? 'utf-8';
  let trimmed = 0;
  async function* rows(): AsyncGenerator<Row> {
    for await (const { values, line } of rest) {
      const problems: FieldProblem[] = [];
      if (options.strictWidth) {
        let width = values.length;
        while (width > mapping.width && values[width - 1] === '') width--;
        if (width !== mapping.width) problems.push({ column: '', reason: `the row has ${width} values, the header has ${mapping.width} columns` });
      }
      const fieldsOfRow: Record<string, unknown> = {};
      let spaced = false;
      const suspect = options.suspect();
      for (const { field, from } of mapping.takes) {
        let value = '';
        for (const index of from) {
          const raw = values[index] ?? '';
          const clean = raw.trim();
          if (clean.length !== raw.length) spaced = true;
          if (clean) value = value ? `${value} ${clean}` : clean;
        }
        if (!value) continue;
        // A row problem (no column): the row is not checked further, and nothing of it is sent.
        if (suspect && undecodable(value)) problems.push({ column: '', reason: `${field}: ${describeUndecodable(value, encoding).reason}` });
        else fieldsOfRow[field] = value;
      }
      if (spaced) trimmed++;
      const original = suspect && values.some(undecodable) ? values.map((value) => describeUndecodable(value, encoding).printable) : values;
      yield { line, fields: fieldsOfRow, problems, original };
    }
  }
  return {
    records: rest,
    source: {
      format,
      columns: () => header,
      dialect,
      notices,
      endNotices: () => (trimmed ? [`trimmed the spaces around values in ${trimmed} row${trimmed > 1 ? 's' : ''}.`] : []),
      trimmed: () => trimmed,
      rows: rows(),
    },
  };
}

async function jsonSource(
  file: string,
  format: InputFormat,
  records: AsyncIterable<JsonRecord>,
  dialect: Dialect,
  notices: string[],
  fields: readonly string[],
  overrides: Readonly<Record<string, string>>,
  suspect: () => boolean,
): Promise<Opened> {
  const iterator = records[Symbol.asyncIterator]();
  const first = await iterator.next();
  const mappings = new Map<string, Mapping | string>();
  const keysOf = (value: object) => Object.keys(value);
  const firstIgnored = new Set<string>();
  const laterIgnored = new Set<string>();
  if (!first.done && 'value' in first.value && isObject(first.value.value)) {
    const keys = keysOf(first.value.value);
    const mapping = mapColumns(keys, fields, overrides, { file, noun: 'key' });
    mappings.set(keys.join('\n'), mapping);
    mapping.ignored.forEach((key) => firstIgnored.add(key));
    notices.push(...mappingNotices(mapping, 'key').map((line) => line.replace(/^columns:/, 'keys:')));
  }
  const mappingOf = (keys: string[]): Mapping | string => {
    const signature = keys.join('\n');
    let mapping = mappings.get(signature);
    if (mapping === undefined) {
      try {
        mapping = mapColumns(keys, fields, overrides, { file, noun: 'key' });
        for (const key of mapping.ignored) if (!firstIgnored.has(key)) laterIgnored.add(key);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        mapping = error.message.replace(`${file}: `, '');
      }
      mappings.set(signature, mapping);
    }
    return mapping;
  };
  async function* all(): AsyncGenerator<JsonRecord> {
    if (!first.done) yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  const encoding = dialect.encoding ?? 'utf-8';
  let trimmed = 0;
  async function* rows(): AsyncGenerator<Row> {
    for await (const record of all()) {
      const { line } = record;
      if (!('value' in record)) {
        const text = suspect() && undecodable(record.text) ? describeUndecodable(record.text, encoding).printable : record.text;
        yield { line, fields: {}, problems: [{ column: '', reason: `the row is not valid JSON: ${record.error.message}` }], original: text };
        continue;
      }
      let original = record.value;
      if (suspect()) {
        const json = JSON.stringify(original);
        if (undecodable(json)) original = JSON.parse(describeUndecodable(json, encoding).printable);
      }
      if (!isObject(record.value)) {
        yield { line, fields: {}, problems: [{ column: '', reason: 'the row is not a JSON object' }], original };
        continue;
      }
      const keys = keysOf(record.value);
      const mapping = mappingOf(keys);
      if (typeof mapping === 'string') {
        yield { line, fields: {}, problems: [{ column: '', reason: mapping }], original };
        continue;
      }
      const problems: FieldProblem[] = [];
      const fieldsOfRow: Record<string, unknown> = {};
      let spaced = false;
      for (const { field, from } of mapping.takes) {
        const values = from.map((index) => (record.value as Record<string, unknown>)[keys[index] as string]);
        let value: unknown;
        if (values.length > 1) {
          // A name joined from two keys: each half trimmed, and counted as the CSV reading counts it.
          if (values.some((part) => typeof part === 'string' && part.trim().length !== part.length)) spaced = true;
          value = values.map((part) => (typeof part === 'string' ? part.trim() : part === undefined || part === null ? '' : String(part))).filter(Boolean).join(' ');
        } else value = values[0];
        if (typeof value === 'string') {
          if (value.trim().length !== value.length) spaced = true;
          value = value.trim();
          if (value === '') continue;
          if (suspect() && undecodable(value as string)) {
            problems.push({ column: '', reason: `${field}: ${describeUndecodable(value as string, encoding).reason}` });
            continue;
          }
        }
        if (value !== undefined) fieldsOfRow[field] = value;
      }
      if (spaced) trimmed++;
      yield { line, fields: fieldsOfRow, problems, original };
    }
  }
  return {
    records: all(),
    source: {
      format,
      columns: () => undefined,
      dialect,
      notices,
      endNotices: () => [
        ...(trimmed ? [`trimmed the spaces around values in ${trimmed} row${trimmed > 1 ? 's' : ''}.`] : []),
        ...(laterIgnored.size ? [`ignored keys of later rows (not sent): ${[...laterIgnored].join(', ')}`] : []),
      ],
      trimmed: () => trimmed,
      rows: rows(),
    },
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export { ENCODING_NAMES };
