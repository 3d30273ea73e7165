import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal } from './journal.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const url = 'http://127.0.0.1:4020';

describe('the journal', () => {
  it('brings back, on a rerun, what was created and what was sent with no answer', () => {
    const path = join(dir, 'a.journal');
    const first = openJournal(path, url);
    expect(first.resumed).toBe(false);
    first.sent(['a@x.com', 'b@x.com', 'c@x.com']);
    first.createdNow(['a@x.com']);
    first.failedNow(['b@x.com']);
    first.sent(['d@x.com']);
    first.rejected(['d@x.com']); // refused whole: nothing created
    appendFileSync(path, '{"created":["e@x'); // kill -9 in the middle of a write
    const again = openJournal(path, url);
    expect(again.resumed).toBe(true);
    expect([...again.created]).toEqual(['a@x.com']);
    expect(['a@x.com', 'b@x.com', 'c@x.com', 'd@x.com'].filter((email) => again.possiblySent(email))).toEqual(['c@x.com']);
  });

  it('keeps an email possibly sent when a later send of it is refused whole', () => {
    const journal = openJournal(join(dir, 'b.journal'), url);
    journal.sent(['a@x.com']); // no answer
    journal.sent(['a@x.com']);
    journal.rejected(['a@x.com']);
    expect(journal.possiblySent('a@x.com')).toBe(true);
  });

  it('refuses a journal written for another server, and holds no secret', () => {
    const path = join(dir, 'c.journal');
    openJournal(path, url).sent(['a@x.com']);
    expect(() => openJournal(path, 'http://127.0.0.1:9999')).toThrow(/belongs to an import into http:\/\/127\.0\.0\.1:4020, not http:\/\/127\.0\.0\.1:9999/);
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8').split('\n')[0] ?? ''))).toEqual(['journal', 'version', 'baseUrl', 'started']);
  });
});
