// The failure report: the rows that failed, as they were written, plus the reason, so that the file can be
// fixed and imported again (an import ignores the `reason` column). CSV in, CSV out; JSON or NDJSON in,
// NDJSON out. Written as the import goes, to a temporary file renamed at the end.
import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { UsageError } from './errors.js';
import { REASON_COLUMN, type InputFormat } from './rows.js';

/** One CSV field, quoted when it must be (RFC 4180). */
const csvField = (value: string) => (/[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

export interface FailureReport {
  readonly path: string;
  readonly count: number;
  /** Opens the report's file before anything is sent: a place that cannot be written is a UsageError naming it. */
  ready(): Promise<void>;
  add(original: unknown, reason: string): Promise<void>;
  /** Renames the report into place; with no failure, removes it instead. Returns whether one was written. */
  close(): Promise<boolean>;
  /** Removes the unfinished report. */
  discard(): Promise<void>;
}

export function openReport(path: string, format: InputFormat, columns: () => string[] | undefined): FailureReport {
  const partial = `${path}.partial`;
  let out: WriteStream | undefined;
  let opening: Promise<void> | undefined;
  let headed = false;
  let count = 0;
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
      const header = columns();
      if (format === 'csv' && header) out.write(`${[...header.filter((column) => column !== REASON_COLUMN), REASON_COLUMN].map(csvField).join(',')}\n`);
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
    ready: open,
    async add(original, reason) {
      count++;
      if (format === 'csv') {
        const header = columns() ?? [];
        const values = Array.isArray(original) ? original.map(String) : [];
        // A report read back in is a CSV of the same columns: its old reason is replaced by the new one.
        const kept = header.flatMap((column, index) => (column === REASON_COLUMN ? [] : [values[index] ?? '']));
        await write(`${[...kept, reason].map(csvField).join(',')}\n`);
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
