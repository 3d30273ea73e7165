// The reading flags as commander parses them, in-process: what each gives the reading stage, and the
// refusals of a bad --column or --format.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { readingOf, readingOptions, type ReadingFlags } from './flags.js';

/** Parses `args` with the reading flags only; a refusal throws with commander's message. */
function parse(args: string[]): ReadingFlags {
  const command = readingOptions(new Command('read').exitOverride().configureOutput({ writeErr: () => {} }));
  command.parse(args, { from: 'user' });
  return command.opts<ReadingFlags>();
}

describe('the reading flags', () => {
  it('gives each flag to the reading stage; the format from the extension unless --format says', () => {
    const flags = parse(['--encoding', 'windows-1252', '--delimiter', ';', '--sheet', 'Feuil1', '--column', 'email=Mail pro', '--column', ' name =Nom = complet']);
    expect(flags).toEqual({ encoding: 'windows-1252', delimiter: ';', sheet: 'Feuil1', column: { email: 'Mail pro', name: 'Nom = complet' } });
    expect(readingOf('people.txt', flags)).toEqual({ format: 'tsv', encoding: 'windows-1252', delimiter: ';', columns: { email: 'Mail pro', name: 'Nom = complet' }, sheet: 'Feuil1' });
    expect(readingOf('people.data', parse(['--format', 'ndjson']))).toEqual({ format: 'ndjson', encoding: undefined, delimiter: undefined, columns: {}, sheet: undefined });
  });

  it('refuses a --column that is not field=Header, and a --format it does not read', () => {
    for (const bad of ['email', '=Mail', 'email=']) {
      expect(() => parse(['--column', bad])).toThrow('--column is field=Header, e.g. --column email="Adresse e-mail".');
    }
    expect(() => parse(['--format', 'xls'])).toThrow(/Allowed choices are csv, tsv, json, ndjson, xlsx/);
  });
});
