// Stage 2, text to records. Delimited text (CSV, TSV, Excel's "Unicode text"): the separator (`,` `;` tab
// or `|`) is the one the header line uses most, outside quotes, unless `--delimiter` says; csv-parse does
// the quoting (values over several lines included). JSON (an array of objects, split element by element as
// it streams, so a large array is never held whole) and NDJSON (one object per line).
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { UsageError } from '../errors.js';

/** A record of a delimited file or a workbook: its values, and the line (or sheet row) it starts on. */
export interface TextRecord {
  values: string[];
  line: number;
}

/** A JSON value of the file, or the text of an element that is not JSON and why. */
export type JsonRecord = { line: number; value: unknown } | { line: number; text: string; error: Error };

export const DELIMITERS = [',', ';', '\t', '|'] as const;
const NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };
export const delimiterName = (delimiter: string) => (NAMES[delimiter] ? `${NAMES[delimiter]} (${JSON.stringify(delimiter)})` : JSON.stringify(delimiter));

/** The separator a `--delimiter` value names: one character, or comma, semicolon, tab, pipe, \t. */
export function parseDelimiter(value: string): string {
  const named: Record<string, string> = { comma: ',', semicolon: ';', tab: '\t', '\\t': '\t', pipe: '|' };
  const delimiter = named[value.toLowerCase()] ?? value;
  if ([...delimiter].length !== 1 || /[\r\n"]/.test(delimiter)) {
    throw new UsageError(`--delimiter is one character (or comma, semicolon, tab, pipe), not "${value}".`);
  }
  return delimiter;
}

/** The separator of a header line: the candidate found most often outside quotes; `fallback` when none is. */
export function detectDelimiter(header: string, fallback: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const character of header) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(character)) counts.set(character, (counts.get(character) ?? 0) + 1);
  }
  let best = fallback;
  let most = 0;
  for (const delimiter of DELIMITERS) {
    const count = counts.get(delimiter) ?? 0;
    if (count > most) [best, most] = [delimiter, count];
  }
  return best;
}

export interface Delimited {
  delimiter: string;
  /** Whether the separator came from the header line rather than `--delimiter`. */
  detected: boolean;
  records: AsyncIterable<TextRecord>;
}

/**
 * The records of delimited text, each with the line it starts on; empty lines are skipped. The header line is
 * read first (to find the separator), then the parser gets it and the rest.
 * The lines are counted here rather than taken from csv-parse's `info` (or `on_record`'s context): those
 * build a ~15-property object for every record, and with them each scavenge of a 200,000-row import moved
 * ~1 MB to the old generation (~8 KB without), which V8 only frees at its next full GC: the bulk of the
 * import's peak RSS. So the parser keeps empty lines (an empty line is a record of one empty value), and
 * each record starts on the line after the previous one ended, plus the line breaks in its quoted values.
 */
export async function delimitedRecords(file: string, bytes: AsyncIterable<Buffer>, options: { delimiter?: string; fallback: string }): Promise<Delimited> {
  const iterator = bytes[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let done = false;
  while (!done) {
    const next = await iterator.next();
    if (next.done) done = true;
    else {
      head.push(next.value);
      if (next.value.includes(0x0a)) break;
    }
  }
  const start = Buffer.concat(head);
  const newline = start.indexOf(0x0a);
  const delimiter = options.delimiter ?? detectDelimiter(start.toString('utf8', 0, newline === -1 ? start.length : newline), options.fallback);
  async function* all(): AsyncGenerator<Buffer> {
    if (start.length) yield start;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  async function* records(): AsyncGenerator<TextRecord> {
    const source = Readable.from(all());
    const parser = source.pipe(parse({ delimiter, relax_column_count: true }));
    // `pipe` does not pass on the source's errors (a read error mid-file): end the parser with them.
    source.once('error', (error) => parser.destroy(error));
    let lastLine = 0;
    try {
      for await (const values of parser as AsyncIterable<string[]>) {
        const line = lastLine + 1;
        lastLine = line;
        for (const value of values) for (let at = value.indexOf('\n'); at !== -1; at = value.indexOf('\n', at + 1)) lastLine++;
        if (values.length === 1 && values[0] === '') continue;
        yield { values, line };
      }
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`Cannot read ${file} as ${delimiterName(delimiter)}-separated text: ${(error as Error).message}`);
    }
  }
  return { delimiter, detected: options.delimiter === undefined, records: records() };
}

/** NDJSON: one JSON value a line; blank lines skipped. */
export async function* ndjsonRecords(bytes: AsyncIterable<Buffer>): AsyncGenerator<JsonRecord> {
  let line = 0;
  for await (const text of createInterface({ input: Readable.from(bytes), crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    try {
      yield { line, value: JSON.parse(text) };
    } catch (error) {
      yield { line, text, error: error as Error };
    }
  }
}

/**
 * Splits a JSON array into its elements as the text streams in (strings and nesting followed), so that a
 * large array is never held whole; each element is parsed alone.
 */
export async function* jsonArrayRecords(file: string, bytes: AsyncIterable<Buffer>): AsyncGenerator<JsonRecord> {
  const decoder = new StringDecoder('utf8');
  let line = 1;
  let started = false;
  let ended = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = '';
  let elementLine = 0;
  const emit = (): JsonRecord | undefined => {
    const text = element.trim();
    const at = elementLine;
    element = '';
    elementLine = 0;
    if (!text) return undefined;
    try {
      return { line: at, value: JSON.parse(text) };
    } catch (error) {
      return { line: at, text, error: error as Error };
    }
  };
  for await (const buffer of bytes) {
    const chunk = decoder.write(buffer);
    let from = 0;
    for (let index = 0; index < chunk.length; index++) {
      const char = chunk[index];
      if (char === '\n') line++;
      if (!started) {
        if (char === '[') {
          started = true;
          from = index + 1;
        } else if (!/\s/.test(char ?? '')) {
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
        const record = emit();
        if (record) yield record;
        if (char === ']') ended = true;
      }
    }
    if (started && !ended) element += chunk.slice(from);
  }
  if (!started || !ended) throw new UsageError(`${file}: the JSON array is not closed with "]".`);
}
