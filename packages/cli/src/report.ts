// The failure report: the rows that failed, as they were written, plus the reason, so that the file can be
// fixed and imported again with the same command (an import ignores the `reason` column). Delimited text
// or a workbook in: CSV out, with the input's columns in their order and its separator (a workbook's report
// is comma-separated), in UTF-8 with a byte order mark, so that Excel opens it with its accents. JSON or
// NDJSON in: NDJSON out. Written as the import goes, to a temporary file renamed at the end.
import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, extname, join } from 'node:path';
import { UsageError } from './errors.js';
import { REASON_COLUMN, type InputFormat, type RowSource } from './rows.js';

/** Where the report of `file` goes by default: beside it, `<name><suffix>.failed.<ext>` (suffix: `.disable` for `disable --file`). */
export function reportPathFor(file: string, format: InputFormat, suffix = ''): string {
  const stem = join(dirname(file), basename(file, extname(file)));
  const extension = format === 'json' || format === 'ndjson' ? '.ndjson' : format === 'tsv' ? extname(file) || '.tsv' : '.csv';
  return `${stem}${suffix}.failed${extension}`;
}

/** How many failure reasons the terminal shows at the end of a run, for every format (the report has them all). */
export const FIRST_REASONS = 5;

/** Writes delimited values, quoted when they must be (RFC 4180, with any separator). */
function delimitedLine(delimiter: string): (values: string[]) => string {
  const special = new RegExp(`["\\r\\n${delimiter.replace(/[\\\]^-]/g, '\\$&')}]|^\\s|\\s$`);
  const field = (value: string) => (special.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return (values) => `${values.map(field).join(delimiter)}\n`;
}

export interface FailureReport {
  readonly path: string;
  readonly count: number;
  /** The reasons of the first FIRST_REASONS rows added, each `line N: why`, for the terminal. */
  readonly firstReasons: readonly string[];
  /** Opens the report's file before anything is sent: a place that cannot be written is a UsageError naming it. */
  ready(): Promise<void>;
  add(original: unknown, reason: string): Promise<void>;
  /** Renames the report into place; with no failure, removes it instead. Returns whether one was written. */
  close(): Promise<boolean>;
  /** Removes the unfinished report. */
  discard(): Promise<void>;
}

export function openReport(path: string, source: Pick<RowSource, 'format' | 'columns' | 'dialect'>): FailureReport {
  const partial = `${path}.partial`;
  const delimited = source.format !== 'json' && source.format !== 'ndjson';
  const line = delimitedLine(source.dialect.delimiter ?? ',');
  let out: WriteStream | undefined;
  let opening: Promise<void> | undefined;
  let headed = false;
  let count = 0;
  const firstReasons: string[] = [];
  /** The input's columns, the reason column of a report read back in and empty trailing ones left out. */
  let keptColumns: number[] | undefined;
  const kept = () => {
    if (keptColumns) return keptColumns;
    const header = source.columns() ?? [];
    let width = header.length;
    while (width > 0 && !header[width - 1]) width--;
    return (keptColumns = header.slice(0, width).flatMap((column, index) => (column === REASON_COLUMN ? [] : [index])));
  };
  const open = () =>
    (opening ??= (async () => {
      const stream = createWriteStream(partial);
      try {
        await once(stream, 'open');
      } catch (error) {
        throw new UsageError(`Cannot write the report ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Pass --report <a file in a folder you can write>.`);
      }
      out = stream;
    })());
  const write = async (text: string) => {
    await open();
    if (!out) return;
    if (!headed) {
      headed = true;
      if (delimited) {
        const header = source.columns() ?? [];
        out.write(`\uFEFF${line([...kept().map((index) => header[index] ?? ''), REASON_COLUMN])}`);
      }
    }
    if (!out.write(text)) await once(out, 'drain');
  };
  let ending: Promise<void> | undefined;
  const end = () =>
    (ending ??= (async () => {
      await opening?.catch(() => undefined);
      if (!out) return;
      out.end();
      await once(out, 'close');
    })());
  return {
    path,
    get count() {
      return count;
    },
    firstReasons,
    ready: open,
    async add(original, reason) {
      count++;
      if (firstReasons.length < FIRST_REASONS) firstReasons.push(reason);
      if (delimited) {
        const values = Array.isArray(original) ? original.map(String) : [];
        // A report read back in has the same columns: its old reason is replaced by the new one.
        await write(line([...kept().map((index) => values[index] ?? ''), reason]));
      } else {
        const row = typeof original === 'object' && original !== null && !Array.isArray(original) ? { ...original, [REASON_COLUMN]: reason } : { row: original, [REASON_COLUMN]: reason };
        await write(`${JSON.stringify(row)}\n`);
      }
    },
    async close() {
      await end();
      if (count === 0) {
        rmSync(partial, { force: true }); // opened before anything was sent, and left empty
        rmSync(path, { force: true }); // an earlier run's report is out of date
        return false;
      }
      renameSync(partial, path);
      return true;
    },
    async discard() {
      await end();
      rmSync(partial, { force: true });
    },
  };
}
