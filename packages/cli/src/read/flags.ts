// The reading flags, shared by every command that reads a file (import, enable/disable --file):
// --format, --encoding, --delimiter, --column field=Header (repeatable), --sheet.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { formatOf, INPUT_FORMATS, type ReadOptions } from './index.js';

export interface ReadingFlags {
  format?: string;
  encoding?: string;
  delimiter?: string;
  column?: Record<string, string>;
  sheet?: string;
}

/** `--column email="Adresse e-mail"`, repeated: the pairs so far plus this one. */
function collectColumn(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at < 1 || at === value.length - 1) throw new InvalidArgumentError('--column is field=Header, e.g. --column email="Adresse e-mail".');
  return { ...previous, [value.slice(0, at).trim()]: value.slice(at + 1) };
}

/** Adds the reading flags to `command`. */
export function readingOptions(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'the file format, when its extension does not say').choices(INPUT_FORMATS))
    .option('--encoding <encoding>', 'utf-8, utf-16le, utf-16be or windows-1252 (default: a byte order mark, else UTF-8 if the file is valid UTF-8, else Windows-1252)')
    .option('--delimiter <char>', 'the separator of CSV/TSV: , ; tab | or any one character (default: the one the header line uses)')
    .option('--column <field=Header>', 'the column that gives a field, when its header is not recognized (repeatable)', collectColumn, {})
    .option('--sheet <name>', 'the sheet of an .xlsx workbook (default: the first)');
}

/** The reading options of `file` from the flags (without `fields`, which the command knows). */
export function readingOf(file: string, flags: ReadingFlags): Omit<ReadOptions, 'fields'> {
  return { format: formatOf(file, flags.format), encoding: flags.encoding, delimiter: flags.delimiter, columns: flags.column, sheet: flags.sheet };
}
