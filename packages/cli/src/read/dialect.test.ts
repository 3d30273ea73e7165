// Stage 2 alone, text to records: which separator a header line gives, what a `--delimiter` value names, how
// delimited text, NDJSON and a JSON array are split into records, with the line each starts on.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { delimitedRecords, detectDelimiter, jsonArrayRecords, ndjsonRecords, parseDelimiter, type JsonRecord, type TextRecord } from './dialect.js';

/** The bytes of a file as the reader streams them, one chunk a part. */
async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part;
}

async function all<T>(records: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const record of records) out.push(record);
  return out;
}

/** A delimited file read whole: its separator, whether it was detected, and its records. */
async function delimited(parts: (string | Buffer)[], options: { delimiter?: string; fallback: string } = { fallback: ',' }) {
  const { delimiter, detected, records } = await delimitedRecords('people.csv', chunks(...parts), options);
  return { delimiter, detected, records: await all<TextRecord>(records) };
}

const jsonArray = (...parts: (string | Buffer)[]) => all<JsonRecord>(jsonArrayRecords('people.json', chunks(...parts)));

describe('--delimiter', () => {
  it('takes one character, or the names comma, semicolon, tab, \\t and pipe in any case', () => {
    expect(['comma', 'SEMICOLON', 'Tab', '\\t', 'pipe', ':', '\t'].map(parseDelimiter)).toEqual([',', ';', '\t', '\t', '|', ':', '\t']);
  });
});

describe('the separator of a header line', () => {
  it('counts only the separators outside quotes', () => {
    expect(detectDelimiter('"Nom; prénom; titre",Email', ',')).toBe(',');
    expect(detectDelimiter('"a;b;c"\tEmail', ',')).toBe('\t');
  });

  it('is the fallback when the header has none, and comma, semicolon, tab, then pipe on a tie', () => {
    expect(detectDelimiter('Email', '\t')).toBe('\t');
    expect(detectDelimiter('Email', ',')).toBe(',');
    expect(detectDelimiter('Email;Nom,Prénom', '\t')).toBe(',');
    expect(detectDelimiter('Email|Nom\tPrénom', ',')).toBe('\t');
  });
});

describe('delimited text', () => {
  it('takes the separator from the header line only, not from the rows after it', async () => {
    expect(await delimited(['Email,Notes\na@example.com,Tel; bureau; poste; salle\n'])).toEqual({
      delimiter: ',',
      detected: true,
      records: [
        { values: ['Email', 'Notes'], line: 1 },
        { values: ['a@example.com', 'Tel; bureau; poste; salle'], line: 2 },
      ],
    });
  });

  it('reads a header line split between chunks up to its line break', async () => {
    const { delimiter, records } = await delimited(['Email', ';Nom\n', 'a@example.com;A\n']);
    expect(delimiter).toBe(';');
    expect(records).toEqual([
      { values: ['Email', 'Nom'], line: 1 },
      { values: ['a@example.com', 'A'], line: 2 },
    ]);
  });

  it('reads a file of a single line with no line break at its end', async () => {
    expect(await delimited(['Email;Nom'])).toEqual({ delimiter: ';', detected: true, records: [{ values: ['Email', 'Nom'], line: 1 }] });
  });

  it('knows the separator once the header line is read, before the rest of the file', async () => {
    let pulled = 0;
    async function* counted(): AsyncGenerator<Buffer> {
      for (const part of ['Email;Nom\n', 'a@example.com;A\n', 'b@example.com;B\n']) {
        pulled++;
        yield Buffer.from(part);
      }
    }
    const { delimiter, records } = await delimitedRecords('people.csv', counted(), { fallback: ',' });
    expect([delimiter, pulled]).toEqual([';', 1]);
    expect((await all(records)).map((record) => record.values)).toEqual([['Email', 'Nom'], ['a@example.com', 'A'], ['b@example.com', 'B']]);
  });

  it('skips empty lines, but keeps a row of one value and a row whose first value is empty, each with its line', async () => {
    const { records } = await delimited(['Email,Nom\n\na@example.com\n,B\n\nc@example.com,C\n']);
    expect(records).toEqual([
      { values: ['Email', 'Nom'], line: 1 },
      { values: ['a@example.com'], line: 3 },
      { values: ['', 'B'], line: 4 },
      { values: ['c@example.com', 'C'], line: 6 },
    ]);
  });

  it('fails the reading, rather than the process, when the file cannot be read to its end', async () => {
    async function* failing(error: Error): AsyncGenerator<Buffer> {
      yield Buffer.from('Email,Nom\na@example.com,A\n');
      throw error;
    }
    const usage = new UsageError('Cannot read people.csv: input/output error.');
    const kept = await delimitedRecords('people.csv', failing(usage), { fallback: ',' });
    await expect(all(kept.records)).rejects.toBe(usage);
    const other = await delimitedRecords('people.csv', failing(new Error('EIO: i/o error, read')), { fallback: ',' });
    await expect(all(other.records)).rejects.toThrow(new UsageError('Cannot read people.csv as comma (",")-separated text: EIO: i/o error, read'));
  });
});

describe('NDJSON', () => {
  it('skips blank lines and lines of spaces, counting them in the line numbers', async () => {
    expect(await all(ndjsonRecords(chunks('{"email":"a@example.com"}\n   \n\t\n{"email":"b@example.com"}\n')))).toEqual([
      { line: 1, value: { email: 'a@example.com' } },
      { line: 4, value: { email: 'b@example.com' } },
    ]);
  });
});

describe('a JSON array', () => {
  it('is split between its elements only: not at commas, brackets or braces inside strings or nested values', async () => {
    const first = { email: 'a@example.com', name: 'Dupont, "Jean" [RH] {x} \\', screen: '24" wide' };
    const second = { email: 'b@example.com', groups: [1, 2], teams: [[3], { id: 4 }], note: '}]' };
    expect(await jsonArray(JSON.stringify([first, second]))).toEqual([
      { line: 1, value: first },
      { line: 1, value: second },
    ]);
  });

  it('reads a key with no name (a column without a header, converted to JSON)', async () => {
    expect(await jsonArray('[{"": "", "email": "a@example.com"}]')).toEqual([{ line: 1, value: { '': '', email: 'a@example.com' } }]);
  });

  it('gives each element the line of its first character, whitespace before the array and between elements aside', async () => {
    const text = '\n  [ {"email":"a"},{"email":\n"b"}, \n 12.5,null\n]\n';
    expect(await jsonArray(text)).toEqual([
      { line: 2, value: { email: 'a' } },
      { line: 2, value: { email: 'b' } },
      { line: 4, value: 12.5 },
      { line: 4, value: null },
    ]);
  });

  it('gives an element that is not JSON as its text, with its line and the parse error', async () => {
    const records = await jsonArray('[{"email":"a"},\n  {email: b} ,\n{"email":"c"}]');
    expect(records).toEqual([
      { line: 1, value: { email: 'a' } },
      { line: 2, text: '{email: b}', error: expect.any(SyntaxError) },
      { line: 3, value: { email: 'c' } },
    ]);
  });

  it('reads an empty array as no elements', async () => {
    expect(await jsonArray('[]')).toEqual([]);
    expect(await jsonArray('[\n]\n')).toEqual([]);
  });

  it('keeps an element whose text, or one of whose characters, is split between chunks', async () => {
    const e = Buffer.from('é');
    const records = await jsonArray('[{"email":"a@example.com","name":"H', e.subarray(0, 1), e.subarray(1), 'lène"},{"em', 'ail":"b@example.com"}]');
    expect(records).toEqual([
      { line: 1, value: { email: 'a@example.com', name: 'Hélène' } },
      { line: 1, value: { email: 'b@example.com' } },
    ]);
  });

  it('refuses what does not start with "[" and text after the closing "]", naming the line', async () => {
    await expect(jsonArray('\n{"email":"a"}')).rejects.toThrow(
      new UsageError('people.json, line 2: a JSON import is an array of objects, starting with "[" (or use NDJSON, one object per line).'),
    );
    await expect(jsonArray('[{"email":"a"}]\n\nx\n')).rejects.toThrow(new UsageError('people.json, line 3: unexpected text after the end of the array.'));
    expect(await jsonArray('[{"email":"a"}]\n\n')).toEqual([{ line: 1, value: { email: 'a' } }]);
  });
});
