import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { countRows, formatOf, openRows, type Row } from './rows.js';
import { checkTechnician, technicianFields } from './schema.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(name: string, text: string): Promise<Row[]> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const rows: Row[] = [];
  for await (const row of (await openRows(file, formatOf(file), technicianFields)).rows) rows.push(row);
  return rows;
}

describe('the spec gives the columns and the checks', () => {
  it("knows TechnicianCreate's fields, in the spec's order", () => {
    expect(technicianFields).toEqual(['email', 'name', 'profile', 'language', 'timezone']);
  });

  it('names the column and the reason of each problem', () => {
    expect(checkTechnician({ email: 'john.doe@example.com', name: 'John Doe' })).toEqual([]);
    expect(checkTechnician({ email: 'not-an-email', name: '' })).toEqual([
      { column: 'email', reason: 'is not a valid email' },
      { column: 'name', reason: 'must not be empty' },
    ]);
    expect(checkTechnician({ name: 'No Email' })).toEqual([{ column: 'email', reason: 'is required' }]);
    expect(checkTechnician({ email: 'a@example.com', name: 'A', language: 7 })).toEqual([{ column: 'language', reason: 'must be string' }]);
  });
});

describe('CSV', () => {
  it('reads quoted values, a BOM and CRLF, with each row\'s line; empty cells are left out', async () => {
    const rows = await read('a.csv', '\uFEFFemail,name,profile\r\na@example.com,"Doe, John",\r\n\r\nb@example.com,"Multi\nline",admin\r\n');
    expect(rows.map(({ line, fields, problems }) => ({ line, fields, problems }))).toEqual([
      { line: 2, fields: { email: 'a@example.com', name: 'Doe, John' }, problems: [] },
      { line: 4, fields: { email: 'b@example.com', name: 'Multi\nline', profile: 'admin' }, problems: [] },
    ]);
    expect(rows[0]?.original).toEqual(['a@example.com', 'Doe, John', '']);
  });

  it('refuses an unknown column by name, before any row', async () => {
    const error = await read('b.csv', 'email,name,phone\na@example.com,A,1\n').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/line 1: unknown column "phone"\. The columns are the API's field names: email, name, profile, language, timezone\./);
  });

  it('ignores the "reason" column a failure report adds, and flags a row of the wrong width', async () => {
    const rows = await read('c.csv', 'email,name,reason\na@example.com,A,line 2: refused\nb@example.com\n');
    expect(rows[0]?.fields).toEqual({ email: 'a@example.com', name: 'A' });
    expect(rows[1]?.problems).toEqual([{ column: '', reason: 'the row has 1 values, the header has 3 columns' }]);
  });

  it('counts the rows an import reads (its progress total) and refuses the same files', async () => {
    const count = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return countRows(join(dir, name), formatOf(name), technicianFields);
    };
    const text = '\uFEFFemail,name\r\n\r\na@example.com,"Multi\nline"\r\n\r\n\r\nb@example.com,B\r\nc@example.com\r\n';
    expect(await count('count.csv', text)).toBe(3);
    expect((await read('count2.csv', text)).map((row) => row.line)).toEqual([3, 7, 8]);
    expect(await count('count.ndjson', '{"email":"a@example.com"}\n\n{oops\n')).toBe(2);
    await expect(count('count3.csv', 'email,phone\n')).rejects.toThrow(/unknown column "phone"/);
    await expect(count('count4.csv', '')).rejects.toThrow(/count4\.csv is empty/);
    await expect(count('count5.csv', 'email,name\n"a@example.com,A\n')).rejects.toThrow(/Cannot read .*count5\.csv as CSV/);
  });

  it('calls an empty file and a broken quote unreadable', async () => {
    await expect(read('d.csv', '')).rejects.toThrow(/d\.csv is empty/);
    await expect(read('e.csv', 'email,name\n"a@example.com,A\n')).rejects.toThrow(/Cannot read .*e\.csv as CSV/);
  });
});

describe('JSON and NDJSON', () => {
  it('splits a JSON array as it streams, with the line each element starts on', async () => {
    const rows = await read('a.json', '[\n  {"email": "a@example.com", "name": "A, \\"the\\" [first]"},\n  {"email": "b@example.com",\n   "name": "B"},\n  "text",\n  {"email": "c@example.com", "phone": 1}\n]\n');
    expect(rows.map(({ line, fields, problems }) => ({ line, fields, problems }))).toEqual([
      { line: 2, fields: { email: 'a@example.com', name: 'A, "the" [first]' }, problems: [] },
      { line: 3, fields: { email: 'b@example.com', name: 'B' }, problems: [] },
      { line: 5, fields: {}, problems: [{ column: '', reason: 'the row is not a JSON object' }] },
      { line: 6, fields: { email: 'c@example.com' }, problems: [{ column: 'phone', reason: expect.stringMatching(/^is not a field of the API/) }] },
    ]);
  });

  it('refuses what is not an array, and an array left open', async () => {
    await expect(read('b.json', '{"email": "a@example.com"}')).rejects.toThrow(/a JSON import is an array of objects/);
    await expect(read('c.json', '[{"email": "a@example.com"},')).rejects.toThrow(/not closed/);
  });

  it('reads NDJSON line by line; a line that is not JSON is a row with its reason', async () => {
    const rows = await read('a.ndjson', '{"email":"a@example.com","name":"A"}\n\n{oops\n');
    expect(rows.map(({ line, problems }) => ({ line, problems: problems.map((problem) => problem.reason.slice(0, 26)) }))).toEqual([
      { line: 1, problems: [] },
      { line: 3, problems: ['the row is not valid JSON:'] },
    ]);
  });

  it('tells the format from the extension, or asks for --format', () => {
    expect(formatOf('x.JSONL')).toBe('ndjson');
    expect(() => formatOf('x.txt')).toThrow(/pass --format csv\|json\|ndjson/);
  });
});
