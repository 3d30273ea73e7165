import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changedFields, fingerprint } from './fingerprint.js';
import { openJournal } from './journal.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const url = 'http://127.0.0.1:4020';

describe('the journal', () => {
  it('brings back, on a rerun, what was done, what was sent with no answer, and what each send carried', () => {
    const path = join(dir, 'a.journal');
    const first = openJournal(path, url);
    expect(first.resumed).toBe(false);
    first.sent(['a@x.com', 'b@x.com', 'c@x.com'], ['name=1', 'name=2', 'name=3']);
    first.done(['a@x.com']);
    first.failed(['b@x.com']);
    first.sent(['d@x.com'], ['name=4']);
    first.rejected(['d@x.com']); // refused whole: nothing created
    first.sent(['e@x.com'], ['name=5']);
    first.existing(['e@x.com']);
    first.close();
    appendFileSync(path, '{"done":["f@x'); // kill -9 in the middle of a write
    const again = openJournal(path, url);
    expect(again.resumed).toBe(true);
    expect(again.doneBefore).toBe(1);
    expect(['a@x.com', 'b@x.com', 'c@x.com', 'd@x.com', 'e@x.com', 'f@x.com'].filter((email) => again.isDone(email))).toEqual(['a@x.com']);
    expect(['a@x.com', 'b@x.com', 'c@x.com', 'd@x.com', 'e@x.com'].filter((email) => again.possiblySent(email))).toEqual(['c@x.com']);
    expect(again.fingerprintBefore('c@x.com')).toBe('name=3');
    // The cut line is dropped before anything is appended: the next entry starts a line of its own.
    again.done(['c@x.com']);
    again.close();
    expect(readFileSync(path, 'utf8').split('\n').slice(-2)).toEqual(['{"done":["c@x.com"]}', '']);
    const third = openJournal(path, url);
    expect(third.doneBefore).toBe(2);
    third.close();
  });

  it('keeps an email possibly sent when a later send of it is refused whole', () => {
    const journal = openJournal(join(dir, 'b.journal'), url);
    journal.sent(['a@x.com']); // no answer
    journal.sent(['a@x.com']);
    journal.rejected(['a@x.com']);
    expect(journal.possiblySent('a@x.com')).toBe(true);
    journal.close();
  });

  it('writes its header first, and holds no secret', () => {
    const path = join(dir, 'c.journal');
    openJournal(path, url, 'disable').close();
    expect(readFileSync(path, 'utf8').split('\n')).toEqual([expect.stringMatching(/^\{"journal":"techapi","version":2,"action":"disable","baseUrl":"http:\/\/127\.0\.0\.1:4020","started":"[\d-]+T[\d:.]+Z"\}$/), '']);
  });

  const refusals: [string, string, RegExp][] = [
    ['empty', '', /is empty, with no header: nothing in it can be trusted: delete it to start over/],
    ['no header', '{"sent":["a@x.com"]}\n{"done":["a@x.com"]}\n', /has no header: it is not a journal of techapi/],
    ['a header cut short', '{"journal":"tech', /has no header \(its first line is not one\)/],
    ['version 1', `{"journal":"techapi import","version":1,"baseUrl":"${url}","started":"x"}\n{"created":["a@x.com"]}\n`, /was written by another version of techapi \(journal version 1; this one reads version 2\): finish that run with the techapi that started it, or delete it/],
    ['damage before the last line', `{"journal":"techapi","version":2,"action":"create","baseUrl":"${url}","started":"x"}\n{"sent":["a@x.com"]}\n{"do\n{"done":["a@x.com"]}\n`, /is damaged at line 3: delete it to start over/],
    ['an entry it does not write', `{"journal":"techapi","version":2,"action":"create","baseUrl":"${url}","started":"x"}\n{"created":["a@x.com"]}\n{"done":[]}\n`, /is damaged at line 2 \(an entry techapi does not write\)/],
    ['another server', `{"journal":"techapi","version":2,"action":"create","baseUrl":"http://127.0.0.1:9999","started":"x"}\n`, /belongs to a run against http:\/\/127\.0\.0\.1:9999, not http:\/\/127\.0\.0\.1:4020: pass --journal <another file>/],
    ['another action', `{"journal":"techapi","version":2,"action":"disable","baseUrl":"${url}","started":"x"}\n`, /is the journal of a bulk disable, not of an import: pass --journal <another file>/],
  ];
  it.each(refusals)('refuses a journal it cannot trust (%s), naming it and what to do', (name, text, message) => {
    const path = join(dir, `${name.replaceAll(' ', '-')}.journal`);
    writeFileSync(path, text);
    expect(() => openJournal(path, url, 'create')).toThrow(message);
    expect(() => openJournal(path, url, 'create')).toThrow(`The journal ${path} `);
    expect(readFileSync(path, 'utf8')).toBe(text); // left as it was
  });
});

describe('fingerprints', () => {
  it('name the fields edited, added or removed, never the values', () => {
    const before = fingerprint({ email: 'a@x.com', name: 'Ann', profile: 'admin' });
    expect(before).toMatch(/^name=[0-9a-f]{8};profile=[0-9a-f]{8}$/);
    expect(fingerprint({ profile: 'admin', name: 'Ann', email: 'A@X.COM' })).toBe(before);
    expect(changedFields(before, fingerprint({ email: 'a@x.com', name: 'Anne', language: 'fr' }))).toEqual(['language', 'name', 'profile']);
    expect(changedFields(before, before)).toEqual([]);
  });
});
