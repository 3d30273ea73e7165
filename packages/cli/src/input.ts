// The input file, before and as the reading stage (read/) opens it: a regular file this process can read,
// else a usage error naming it (a directory, a FIFO or a device would hang or fail half-way: the file is
// read twice, once to count its rows and once to send them). The one place that calls the reading stage.
import { closeSync, constants, openSync, statSync } from 'node:fs';
import { UsageError } from './errors.js';
import { countRows, openRows, type ReadOptions, type RowSource } from './rows.js';

export type { ReadOptions } from './rows.js';

function checkInputFile(file: string): void {
  let kind: string | undefined;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) kind = 'a directory';
    else if (stat.isFIFO()) kind = 'a FIFO (a named pipe)';
    else if (stat.isSocket()) kind = 'a socket';
    else if (stat.isCharacterDevice() || stat.isBlockDevice()) kind = 'a device';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`Cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)}.`);
  }
  if (kind) throw new UsageError(`Cannot read ${file}: it is ${kind}, not a file. Give the path of a file (save the data to one first).`);
  try {
    closeSync(openSync(file, constants.O_RDONLY | constants.O_NONBLOCK));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`Cannot read ${file}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied (check its owner and mode)' : (code ?? (error as Error).message)}.`);
  }
}

/**
 * The rows of `file`, read as `options` say (format, the fields wanted, --encoding, --delimiter, --column,
 * --sheet), once it is known to be a readable file: its header is read, so a header that names no email is
 * a usage error here.
 */
export async function readRows(file: string, options: ReadOptions): Promise<RowSource> {
  checkInputFile(file);
  return openRows(file, pick(options));
}

export const countInputRows = (file: string, options: ReadOptions): Promise<number> => countRows(file, pick(options));

/** Only the reading options: a run's options hold much more (a client, signals) that the reading has no use for. */
const pick = ({ format, fields, encoding, delimiter, columns, sheet }: ReadOptions): ReadOptions => ({ format, fields, encoding, delimiter, columns, sheet });
