// The input file, before the reading stage opens it: a regular file this process can read, else a usage
// error naming it (a directory, a FIFO or a device would hang or fail half-way: the file is read twice,
// once to count its rows and once to send them). Also the one place that calls the reading stage.
import { closeSync, openSync, statSync } from 'node:fs';
import { constants } from 'node:fs';
import { UsageError } from './errors.js';
import { countRows, openRows, type InputFormat, type RowSource } from './rows.js';

export function checkInputFile(file: string): void {
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

/** What the reading stage is asked for: the file's format and the fields the command takes. */
export interface ReadOptions {
  format: InputFormat;
  fields: readonly string[];
}

export const readRows = (file: string, options: ReadOptions): Promise<RowSource> => openRows(file, options.format, options.fields);
export const countInputRows = (file: string, options: ReadOptions): Promise<number> => countRows(file, options.format, options.fields);
