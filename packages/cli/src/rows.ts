// Reads an import file one row at a time, whatever its size: CSV (a header row of the spec's field names),
// NDJSON (one object per line) or JSON (an array of objects, split element by element as it streams).
import { createReadStream, type ReadStream } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { UsageError } from './errors.js';
import type { FieldProblem } from './schema.js';

export type InputFormat = 'csv' | 'json' | 'ndjson';

/** The column a failure report adds: a report read back in (once fixed) has it, and it is ignored. */
export const REASON_COLUMN = 'reason';

export interface Row {
  /** The line of the file where the row starts (1-based; a CSV's header is line 1). */
  line: number;
  /** The row's fields, as the API takes them (empty CSV cells left out). */
  fields: Record<string, unknown>;
  /** What makes the row unreadable before the schema is even checked (bad JSON, a column count, an unknown key). */
  problems: FieldProblem[];
  /** The row as written, for the failure report: the CSV values, or the JSON value (or text when unparsable). */
  original: string[] | unknown;
}

export interface RowSource {
  format: InputFormat;
  /** The CSV header, once read (undefined for JSON). */
  columns(): string[] | undefined;
  rows: AsyncIterable<Row>;
}

export function formatOf(file: string, format?: string): InputFormat {
  const chosen = format ?? { '.csv': 'csv', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson' }[extname(file).toLowerCase()];
  if (chosen === 'csv' || chosen === 'json' || chosen === 'ndjson') return chosen;
  throw new UsageError(
    format
      ? `--format must be csv, json or ndjson, not "${format}".`
      : `Cannot tell the format of ${file} from its extension: name it .csv, .json, .ndjson or .jsonl, or pass --format csv|json|ndjson.`,
  );
}

/** Opens `file` and reads rows of `known` fields from it; an unreadable file or header is a UsageError. */
export async function openRows(file: string, format: InputFormat, known: readonly string[]): Promise<RowSource> {
  const stream = await openFile(file);
  if (format === 'csv') return csvRows(file, stream, known);
  const rows = format === 'ndjson' ? ndjsonRows(stream, known) : jsonArrayRows(file, stream, known);
  return { format, columns: () => undefined, rows };
}

/**
 * Counts the rows of `file` (for the progress total), finding an unreadable file or header before anything
 * is sent. A CSV's records are counted as they are parsed, with no row built for them.
 */
export async function countRows(file: string, format: InputFormat, known: readonly string[]): Promise<number> {
  if (format !== 'csv') {
    let count = 0;
    for await (const _ of (await openRows(file, format, known)).rows) count++;
    return count;
  }
  let header = false;
  let count = 0;
  for await (const { record } of csvRecords(file, await openFile(file))) {
    if (header) count++;
    else (checkHeader(file, record.map((name) => name.trim()), known), (header = true));
  }
  if (!header) throw new UsageError(`${file} is empty: a CSV import starts with a header row of field names (${known.join(', ')}).`);
  return count;
}

/** Opens `file` for reading; a file that cannot be opened is a UsageError. */
async function openFile(file: string): Promise<ReadStream> {
  const stream = createReadStream(file);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) => reject(new UsageError(`Cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}.`)));
  });
  return stream;
}

/**
 * A CSV's records, each with the line it starts on; empty lines are skipped.
 * The lines are counted here rather than taken from csv-parse's `info` (or `on_record`'s context): those
 * build a ~15-property object for every record, and with them each scavenge of a 200,000-row import moved
 * ~1 MB to the old generation (~8 KB without), which V8 only frees at its next full GC: the bulk of the
 * import's peak RSS. So the parser keeps empty lines (an empty line is a record of one empty value), and
 * each record starts on the line after the previous one ended, plus the line breaks in its quoted values.
 */
async function* csvRecords(file: string, stream: NodeJS.ReadableStream): AsyncGenerator<{ record: string[]; line: number }> {
  const parser = stream.pipe(parse({ bom: true, relax_column_count: true }));
  let lastLine = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const line = lastLine + 1;
      lastLine = line;
      for (const value of record) for (let at = value.indexOf('\n'); at !== -1; at = value.indexOf('\n', at + 1)) lastLine++;
      if (record.length === 1 && record[0] === '') continue;
      yield { record, line };
    }
  } catch (error) {
    throw new UsageError(`Cannot read ${file} as CSV: ${(error as Error).message}`);
  }
}

function csvRows(file: string, stream: NodeJS.ReadableStream, known: readonly string[]): RowSource {
  let header: string[] | undefined;
  async function* rows(): AsyncGenerator<Row> {
    for await (const { record, line } of csvRecords(file, stream)) {
      if (!header) {
        header = record.map((name) => name.trim());
        checkHeader(file, header, known);
        continue;
      }
      const fields: Record<string, unknown> = {};
      const problems: FieldProblem[] = [];
      if (record.length !== header.length) {
        problems.push({ column: '', reason: `the row has ${record.length} values, the header has ${header.length} columns` });
      }
      header.forEach((column, index) => {
        const value = record[index];
        if (column !== REASON_COLUMN && value !== undefined && value !== '') fields[column] = value;
      });
      yield { line, fields, problems, original: record };
    }
    if (!header) throw new UsageError(`${file} is empty: a CSV import starts with a header row of field names (${known.join(', ')}).`);
  }
  return { format: 'csv', columns: () => header, rows: rows() };
}

function checkHeader(file: string, header: string[], known: readonly string[]): void {
  const unknown = header.filter((column) => column !== REASON_COLUMN && !known.includes(column));
  const repeated = header.filter((column, index) => header.indexOf(column) !== index);
  if (unknown.length > 0) {
    throw new UsageError(
      `${file}, line 1: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((column) => `"${column}"`).join(', ')}. ` +
        `The columns are the API's field names: ${known.join(', ')}.`,
    );
  }
  if (repeated.length > 0) throw new UsageError(`${file}, line 1: column "${repeated[0]}" appears twice.`);
}

/** A JSON value as a row: an object of known fields, or the problems that make it one we cannot send. */
function jsonRow(line: number, value: unknown, known: readonly string[]): Row {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { line, fields: {}, problems: [{ column: '', reason: 'the row is not a JSON object' }], original: value };
  }
  const fields: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  for (const [key, field] of Object.entries(value)) {
    if (key === REASON_COLUMN) continue;
    if (known.includes(key)) fields[key] = field;
    else problems.push({ column: key, reason: `is not a field of the API (the fields are ${known.join(', ')})` });
  }
  return { line, fields, problems, original: value };
}

function unparsable(line: number, text: string, error: unknown): Row {
  return { line, fields: {}, problems: [{ column: '', reason: `the row is not valid JSON: ${(error as Error).message}` }], original: text };
}

async function* ndjsonRows(stream: NodeJS.ReadableStream, known: readonly string[]): AsyncGenerator<Row> {
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield unparsable(line, text, error);
      continue;
    }
    yield jsonRow(line, value, known);
  }
}

/**
 * Splits a JSON array into its elements as the text streams in (strings and nesting followed), so that a
 * large array is never held whole; each element is parsed alone.
 */
async function* jsonArrayRows(file: string, stream: NodeJS.ReadableStream, known: readonly string[]): AsyncGenerator<Row> {
  stream.setEncoding('utf8');
  let line = 1;
  let started = false;
  let ended = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = '';
  let elementLine = 0;
  const emit = (): Row | undefined => {
    const text = element.trim();
    const at = elementLine;
    element = '';
    elementLine = 0;
    if (!text) return undefined;
    try {
      return jsonRow(at, JSON.parse(text), known);
    } catch (error) {
      return unparsable(at, text, error);
    }
  };
  for await (const chunk of stream as AsyncIterable<string>) {
    let from = 0;
    for (let index = 0; index < chunk.length; index++) {
      const char = chunk[index];
      if (char === '\n') line++;
      if (!started) {
        if (char === '[') {
          started = true;
          from = index + 1;
        } else if (char !== '\uFEFF' && !/\s/.test(char ?? '')) {
          throw new UsageError(`${file}, line ${line}: a JSON import is an array of objects, starting with "[" (or use NDJSON, one object per line).`);
        }
        continue;
      }
      if (ended) {
        if (!/\s/.test(char ?? '')) throw new UsageError(`${file}, line ${line}: unexpected text after the end of the array.`);
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (char === '\\') escaped = true;
        else if (char === '"') inString = false;
        continue;
      }
      if (elementLine === 0 && !/\s/.test(char ?? '') && !(depth === 0 && (char === ',' || char === ']'))) elementLine = line;
      if (char === '"') inString = true;
      else if (char === '{' || char === '[') depth++;
      else if ((char === '}' || char === ']') && depth > 0) depth--;
      else if (depth === 0 && (char === ',' || char === ']')) {
        element += chunk.slice(from, index);
        from = index + 1;
        const row = emit();
        if (row) yield row;
        if (char === ']') ended = true;
      }
    }
    if (started && !ended) element += chunk.slice(from);
  }
  if (!started || !ended) throw new UsageError(`${file}: the JSON array is not closed with "]".`);
}
