// The journal's lines in-process: the exact lines it writes, what it refuses to read back (lines that are
// JSON but not an entry, lists that are not lists of emails), a cut last line dropped to the byte, the
// folders and files it cannot use, and its file closed at the end.
import { mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { scratch, thrown as refusal } from '../testing/scratch.js';
import { openJournal } from './journal.js';

const { dir } = scratch('cli-journal-lines-');
const url = 'http://127.0.0.1:4020';
let journals = 0;
const newPath = () => join(dir, `${++journals}.journal`);
const header = (action = 'create') => `{"journal":"techapi","version":2,"action":"${action}","baseUrl":"${url}","started":"2026-01-02T03:04:05.000Z"}`;
/** The journal's lines after its header. */
const body = (path: string) => readFileSync(path, 'utf8').split('\n').slice(1);

describe('the journal, line by line', () => {
  it('writes each send (with or without fingerprints) and each outcome as one line, and no line for an empty outcome', () => {
    const path = newPath();
    const journal = openJournal(path, url);
    journal.sent(['a@x.com', 'b@x.com']);
    journal.done([]);
    journal.failed([]);
    journal.existing([]);
    journal.done(['a@x.com']);
    journal.sent(['c@x.com'], ['name=1']);
    journal.rejected(['c@x.com']);
    journal.existing(['b@x.com']);
    journal.close();
    expect(body(path)).toEqual(['{"sent":["a@x.com","b@x.com"]}', '{"done":["a@x.com"]}', '{"sent":["c@x.com"],"fingerprints":["name=1"]}', '{"rejected":["c@x.com"]}', '{"existing":["b@x.com"]}', '']);
  });

  it("is an import's journal when no action is named: an import reads it back, a bulk enable refuses it", () => {
    const path = newPath();
    openJournal(path, url).close();
    expect(JSON.parse(readFileSync(path, 'utf8').split('\n')[0] as string).action).toBe('create');
    const again = openJournal(path, url, 'create');
    expect(again.resumed).toBe(true);
    again.close();
    expect(() => openJournal(path, url, 'enable')).toThrow(`The journal ${path} is the journal of an import, not of a bulk enable: pass --journal <another file>`);
  });

  it('closes its file at the end: no descriptor of the process points at it any more', () => {
    const path = newPath();
    const descriptorsOn = () => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === path;
      } catch {
        return false; // the descriptor readdirSync itself used, closed meanwhile
      }
    }).length;
    const journal = openJournal(path, url);
    journal.sent(['a@x.com']);
    expect(descriptorsOn()).toBe(1);
    journal.close();
    expect(descriptorsOn()).toBe(0);
  });
});

describe('reading a journal back', () => {
  const damaged = (lines: string[]) => {
    const path = newPath();
    writeFileSync(path, `${[header(), ...lines].join('\n')}\n`);
    return path;
  };

  it.each([['null'], ['[{"done":["a@x.com"]}]'], ['"a@x.com"'], ['5']])('refuses a line before the last that is JSON but not an entry (%s): damaged at that line', (line) => {
    const path = damaged(['{"sent":["a@x.com"]}', line, '{"done":["a@x.com"]}']);
    const error = refusal(() => openJournal(path, url));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`The journal ${path} is damaged at line 3: delete it to start over (rows already on the server then count as existing)`);
  });

  it('refuses a first line that is JSON but not a header (null, a list): no header', () => {
    for (const first of ['null', '[]']) {
      const path = newPath();
      writeFileSync(path, `${first}\n{"done":["a@x.com"]}\n`);
      const error = refusal(() => openJournal(path, url));
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toBe(
        `The journal ${path} has no header (its first line is not one): it was not written whole by techapi, and nothing in it can be trusted: delete it to start over (rows already on the server then count as existing)`,
      );
    }
  });

  it.each([['{"sent":"a@x.com"}'], ['{"sent":["a@x.com",5]}'], ['{"done":[null]}'], ['{"done":{"0":"a@x.com"}}']])(
    'refuses an entry whose list is not a list of emails (%s): an entry techapi does not write',
    (line) => {
      const path = damaged([line, '{"done":["b@x.com"]}']);
      const error = refusal(() => openJournal(path, url));
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toBe(`The journal ${path} is damaged at line 2 (an entry techapi does not write): delete it to start over (rows already on the server then count as existing)`);
    },
  );

  it('drops a last line that is JSON but not an entry, as a cut one', () => {
    const path = damaged(['{"sent":["a@x.com"]}', '{"done":["a@x.com"]}', '[]']);
    const journal = openJournal(path, url);
    expect(journal.doneBefore).toBe(1);
    journal.close();
    expect(readFileSync(path, 'utf8')).toBe(`${header()}\n{"sent":["a@x.com"]}\n{"done":["a@x.com"]}\n`);
  });

  it('drops a cut last line to the byte, its newline with it, when the file ends with one', () => {
    const path = newPath();
    writeFileSync(path, `${header()}\n{"sent":["é@x.com"]}\n{"do\n`);
    const journal = openJournal(path, url);
    expect(journal.possiblySent('é@x.com')).toBe(true);
    journal.done(['é@x.com']);
    journal.close();
    expect(readFileSync(path, 'utf8')).toBe(`${header()}\n{"sent":["é@x.com"]}\n{"done":["é@x.com"]}\n`);
  });

  it('leaves a journal whose last line is whole as it was, appending after it', () => {
    const path = newPath();
    const text = `${header()}\n{"sent":["a@x.com"]}\n`;
    writeFileSync(path, text);
    const journal = openJournal(path, url);
    journal.failed(['a@x.com']);
    journal.close();
    expect(readFileSync(path, 'utf8')).toBe(`${text}{"failed":["a@x.com"]}\n`);
  });
});

describe('a journal it cannot use', () => {
  it('a folder that does not exist: a usage error naming the journal and --journal', () => {
    const path = join(dir, 'missing', 'x.journal');
    const error = refusal(() => openJournal(path, url));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`Cannot write the journal ${path}: ENOENT. Pass --journal <a file in a folder you can write>.`);
  });

  it('a journal path that is a folder: a usage error saying it cannot be read', () => {
    const path = join(dir, 'a-folder.journal');
    mkdirSync(path);
    const error = refusal(() => openJournal(path, url));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`Cannot read the journal ${path}: EISDIR.`);
  });
});
