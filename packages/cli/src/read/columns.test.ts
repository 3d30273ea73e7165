// Stage 3 alone, header to fields: which column (or JSON key) gives which field, what `--column` picks, which
// columns are named as ignored, and the exact message of each usage error.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { technicianFields } from '../schema.js';
import { mapColumns } from './columns.js';

const map = (header: string[], overrides: Record<string, string> = {}, fields: readonly string[] = technicianFields) =>
  mapColumns(header, fields, overrides, { file: 'f.csv', noun: 'column' });
/** JSON keys are not trimmed as a CSV header is: a key may be blank, or have spaces around it. */
const mapKeys = (keys: string[], overrides: Record<string, string> = {}, fields: readonly string[] = technicianFields) =>
  mapColumns(keys, fields, overrides, { file: 'f.json', noun: 'key' });
const shape = ({ takes, ignored, width }: ReturnType<typeof map>) => ({ takes, ignored, width });

describe('--column field=Header', () => {
  it('takes the column named exactly so before one that differs only in case or punctuation', () => {
    expect(map(['E-mail', 'Email'], { email: 'Email' }).describe()).toBe('email ← "Email"');
    expect(map(['E-mail', 'Email'], { email: ' Email ' }).describe()).toBe('email ← "Email"');
    expect(mapKeys(['E-MAIL', ' Email '], { email: 'Email' }).describe()).toBe('email ← " Email "');
    expect(map(['E-mail', 'Name'], { email: 'email' }).describe()).toBe('email ← "E-mail", name ← "Name"');
  });

  it('wins over the column the field would be found by', () => {
    const mapping = map(['Email', 'Work email'], { email: 'Work email' });
    expect(mapping.describe()).toBe('email ← "Work email"');
    expect(mapping.ignored).toEqual(['Email']);
  });

  it('takes its column away from the other fields: it settles two columns claiming one field', () => {
    expect(() => map(['Email', 'Locale', 'Langue'])).toThrow(
      new UsageError('f.csv: the columns "Locale" and "Langue" both give the field language: keep one, or choose with --column language="Locale".'),
    );
    expect(map(['Email', 'Locale', 'Langue'], { timezone: 'Locale' }).describe()).toBe('email ← "Email", language ← "Langue", timezone ← "Locale"');
  });

  it('refuses a field that is not one, listing the fields', () => {
    expect(() => map(['Email'], { phone: 'Email' })).toThrow(
      new UsageError('--column phone=Email: "phone" is not a field here (the fields are email, name, profile, language, timezone).'),
    );
  });

  it('refuses a column that is not there, listing the named columns only', () => {
    expect(() => mapKeys(['Email', '', ' ', 'Nom'], { email: 'Courriel' })).toThrow(
      new UsageError('--column email=Courriel: f.json has no key "Courriel" (its keys: "Email", "Nom").'),
    );
  });
});

describe('a header without email', () => {
  it('is refused, listing the named columns only', () => {
    expect(() => mapKeys(['Mail pro', '', ' ', 'Nom'])).toThrow(
      new UsageError('f.json: no key gives the email (its keys: "Mail pro", "Nom"). Name it with --column email="<the key\'s name>", or call it Email, E-mail, Adresse e-mail or Courriel.'),
    );
  });

  it('says "none" when no column has a name (a row of blanks, or a first JSON object with no key)', () => {
    const none = 'no column gives the email (its columns: none). Name it with --column email="<the column\'s name>", or call it Email, E-mail, Adresse e-mail or Courriel.';
    expect(() => map(['', ''])).toThrow(new UsageError(`f.csv: ${none}`));
    expect(() => map([])).toThrow(new UsageError(`f.csv: ${none}`));
  });
});

describe('blank and unknown columns', () => {
  it('names a blank header cell by its position, and ends the header at its last named column', () => {
    expect(shape(mapKeys(['Email', ' ', 'Name', '  ']))).toEqual({
      takes: [
        { field: 'email', from: [0] },
        { field: 'name', from: [2] },
      ],
      ignored: ['key 2 (no header)'],
      width: 3,
    });
  });

  it('gives a header of blanks, or no header, a width of 0 when no field needs a column', () => {
    expect(shape(map(['', ' '], {}, ['name']))).toEqual({ takes: [], ignored: [], width: 0 });
    expect(shape(map([], {}, ['name']))).toEqual({ takes: [], ignored: [], width: 0 });
  });

  it('finds a field it knows no other name for by its own name', () => {
    const mapping = map(['Email', 'Department', 'Phone'], {}, ['email', 'department']);
    expect(mapping.describe()).toBe('email ← "Email", department ← "Department"');
    expect(mapping.ignored).toEqual(['Phone']);
  });
});

describe('a name split in two', () => {
  it('needs both halves: a first name alone, or a last name alone, gives no name', () => {
    const first = map(['Email', 'Prénom']);
    expect(first.describe()).toBe('email ← "Email"');
    expect(first.ignored).toEqual(['Prénom']);
    const last = map(['Email', 'Last name']);
    expect(last.describe()).toBe('email ← "Email"');
    expect(last.ignored).toEqual(['Last name']);
  });
});
