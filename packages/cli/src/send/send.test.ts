// The sending stage in-process, with a scripted action standing in for the server (what it answers to each
// request is the script's), the real journal on a temporary file, and a report and progress that record what
// they are given. The CLI's own tests run the built bin against the sandbox; these reach what a child process
// hides from StrykerJS: each count, each journal entry, the halving of a refused batch, the waits.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allDone, httpError, invalid, item, JOURNAL_URL, networkError, scripted, sendingHarness, source } from '../testing/sending.js';
import type { RequestOutcome } from './actions.js';
import { fingerprint } from './fingerprint.js';
import { openJournal, type Journal } from './journal.js';
import { sendRows } from './send.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-send-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { newJournal, recorders, options } = sendingHarness(dir);

const entries = (journal: Journal) =>
  readFileSync(journal.path, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => JSON.parse(line) as Record<string, string[]>);

describe('sendRows', () => {
  it('sends the rows in batches, in order, and counts each one done; the journal records each send before its outcome', async () => {
    const { action, requests } = scripted(allDone);
    const journal = newJournal();
    const recorded = recorders();
    const rows = ['a', 'b', 'c', 'd', 'e'].map((name, index) => item(index + 2, `${name}@example.com`));
    const counts = await sendRows(source(rows), options({ action, journal, expected: 5 }, recorded));
    journal.close();
    expect(requests).toEqual([['a@example.com', 'b@example.com'], ['c@example.com', 'd@example.com'], ['e@example.com']]);
    expect(counts).toMatchObject({ total: 5, done: 5, failed: 0, existing: 0, changed: 0, valid: 5, invalid: 0, repeated: 0, refused: 0, resumed: 0, interrupted: false });
    expect(counts.stopped).toBeUndefined();
    expect(entries(journal).map((entry) => Object.keys(entry).filter((key) => key !== 'fingerprints')[0])).toEqual(['sent', 'done', 'sent', 'done', 'sent', 'done']);
    expect(entries(journal)[0]).toEqual({ sent: ['a@example.com', 'b@example.com'], fingerprints: [fingerprint(rows[0]?.row.fields ?? {}), fingerprint(rows[1]?.row.fields ?? {})] });
    expect(recorded.shown).toEqual(['start 5 0', 'stop']);
    expect(recorded.reported).toEqual([]);
  });

  it('a dry run (no action) sends nothing and counts valid and invalid rows; the invalid go to the report with their line', async () => {
    const recorded = recorders();
    const counts = await sendRows(source([item(2, 'a@example.com'), invalid(3, 'nope'), item(4, 'b@example.com')]), options({}, recorded));
    expect(counts).toMatchObject({ total: 3, done: 0, failed: 1, valid: 2, invalid: 1 });
    expect(recorded.reported).toEqual([[['nope', 'Name 3'], 'line 3: email: is not a valid email']]);
    expect(recorded.shown).toEqual(['start 0 0', 'stop']);
  });

  it('a batch refused whole is halved until the row refused is alone; a 409 for a row never sent before counts as existing', async () => {
    const { action, requests } = scripted(
      (emails) => (emails.includes('x@example.com') ? { kind: 'refused-whole', error: httpError(409, 'Email already exists') } : allDone(emails)),
      { batchSize: 4 },
    );
    const journal = newJournal();
    const recorded = recorders();
    const rows = ['a', 'x', 'b', 'c'].map((name, index) => item(index + 2, `${name}@example.com`));
    const counts = await sendRows(source(rows), options({ action, journal }, recorded));
    journal.close();
    expect(requests).toEqual([
      ['a@example.com', 'x@example.com', 'b@example.com', 'c@example.com'],
      ['a@example.com', 'x@example.com'],
      ['a@example.com'],
      ['x@example.com'],
      ['b@example.com', 'c@example.com'],
    ]);
    expect(counts).toMatchObject({ total: 4, done: 3, existing: 1, failed: 0, refused: 0 });
    expect(entries(journal).filter((entry) => 'existing' in entry)).toEqual([{ existing: ['x@example.com'] }]);
    expect(recorded.reported).toEqual([]);
  });

  it('with existing: fail, that row is refused: failed, in the report with the server\'s message', async () => {
    const { action } = scripted((emails) => (emails.includes('x@example.com') ? { kind: 'refused-whole', error: httpError(409, 'Email already exists') } : allDone(emails)));
    const journal = newJournal();
    const recorded = recorders();
    const counts = await sendRows(source([item(2, 'x@example.com')]), options({ action, journal, existing: 'fail' }, recorded));
    journal.close();
    expect(counts).toMatchObject({ total: 1, done: 0, existing: 0, failed: 1, refused: 1 });
    expect(recorded.reported).toEqual([[['x@example.com', 'Name 2'], 'line 2: refused by the server: Email already exists']]);
    expect(entries(journal).at(-1)).toEqual({ failed: ['x@example.com'] });
  });

  it('a row sent with no answer, then refused as existing, was created by that send: done, not existing', async () => {
    const { action, requests } = scripted((emails, _context, call) =>
      call === 1 ? { kind: 'unanswered', error: networkError } : { kind: 'refused-whole', error: httpError(409, 'Email already exists') },
    );
    const journal = newJournal();
    const recorded = recorders();
    const counts = await sendRows(source([item(2, 'a@example.com')]), options({ action, journal }, recorded));
    journal.close();
    expect(requests).toEqual([['a@example.com'], ['a@example.com']]);
    expect(counts).toMatchObject({ total: 1, done: 1, existing: 0, failed: 0 });
    expect(recorded.shown).toContain('wait 250 no answer (network: socket hang up), sending again [no answer: retry in]');
  });

  it("rows left out of the server's answer are sent again, alone; a row refused in an answer fails with its reason", async () => {
    const { action, requests } = scripted(
      (emails, _context, call): RequestOutcome =>
        call === 1
          ? { kind: 'answered', items: [{ kind: 'done' }, { kind: 'again' }, { kind: 'refused', reason: 'name: is required', exists: false }] }
          : allDone(emails),
      { batchSize: 3 },
    );
    const journal = newJournal();
    const recorded = recorders();
    const counts = await sendRows(source(['a', 'b', 'c'].map((name, index) => item(index + 2, `${name}@example.com`))), options({ action, journal }, recorded));
    journal.close();
    expect(requests).toEqual([['a@example.com', 'b@example.com', 'c@example.com'], ['b@example.com']]);
    expect(counts).toMatchObject({ total: 3, done: 2, failed: 1, refused: 1 });
    expect(recorded.reported).toEqual([[['c@example.com', 'Name 4'], 'line 4: refused by the server: name: is required']]);
  });

  it('resumes: rows the journal has done are not sent; one edited since is counted changed, naming its line and fields', async () => {
    const earlier = newJournal();
    const old = item(2, 'a@example.com', 'Old Name');
    earlier.sent(['a@example.com', 'b@example.com'], [old.item?.fingerprint ?? '', item(3, 'b@example.com').item?.fingerprint ?? '']);
    earlier.done(['a@example.com', 'b@example.com']);
    earlier.close();
    const journal = openJournal(earlier.path, JOURNAL_URL);
    const { action, requests } = scripted(allDone);
    const recorded = recorders();
    const rows = [item(2, 'a@example.com', 'New Name'), item(3, 'b@example.com'), item(4, 'c@example.com')];
    const counts = await sendRows(source(rows), options({ action, journal, expected: 3 }, recorded));
    journal.close();
    expect(requests).toEqual([['c@example.com']]);
    expect(counts).toMatchObject({ total: 3, done: 2, changed: 1, resumed: 2, failed: 0 });
    expect(counts.changes).toEqual([{ line: 2, email: 'a@example.com', fields: ['name'] }]);
    expect(recorded.notices).toEqual([
      'resuming: 2 of 3 rows done by an earlier run',
      'line 2: a@example.com was sent by an earlier run with other values (name changed since): the server keeps those; there is no call to change them.',
    ]);
    expect(recorded.shown[0]).toBe('start 3 2');
  });

  it('a server silent past giveUpMs stops the run after three tries, resumable: the rows stay open in the journal', async () => {
    const { action, requests } = scripted(() => ({ kind: 'unanswered', error: networkError }));
    const journal = newJournal();
    const counts = await sendRows(source([item(2, 'a@example.com'), item(3, 'b@example.com'), item(4, 'c@example.com')]), options({ action, journal, giveUpMs: 0 }));
    expect(requests).toEqual([['a@example.com', 'b@example.com'], ['a@example.com', 'b@example.com'], ['a@example.com', 'b@example.com']]);
    expect(counts.stopped).toMatch(/^The server has not answered for \d+ s \(last: network: socket hang up\): gave up\.$/);
    expect(counts.interrupted).toBe(false);
    expect(counts).toMatchObject({ done: 0, failed: 0 });
    expect(journal.possiblySent('a@example.com')).toBe(true);
    journal.close();
  });

  it('a first Ctrl-C lets the request in flight end, then stops: no row after it is sent', async () => {
    const stop = new AbortController();
    const { action, requests } = scripted((emails) => {
      stop.abort();
      return allDone(emails);
    });
    const journal = newJournal();
    const counts = await sendRows(source(['a', 'b', 'c', 'd', 'e'].map((name, index) => item(index + 2, `${name}@example.com`))), options({ action, journal, stop: stop.signal }));
    journal.close();
    expect(requests).toEqual([['a@example.com', 'b@example.com']]);
    expect(counts).toMatchObject({ done: 2, interrupted: true, stopped: 'Stopped by Ctrl-C.' });
  });

  it('a 429 pauses every request after it for the wait the server asked', async () => {
    let limited = false;
    const { action, requests } = scripted(
      (emails, context) => {
        if (!limited) {
          limited = true;
          context.onRateLimit(300);
        }
        return allDone(emails);
      },
      { batchSize: 1, inFlight: 1 },
    );
    const recorded = recorders();
    const started = performance.now();
    const counts = await sendRows(source([item(2, 'a@example.com'), item(3, 'b@example.com')]), options({ action, journal: newJournal() }, recorded));
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(requests).toEqual([['a@example.com'], ['b@example.com']]);
    expect(counts.done).toBe(2);
    expect(recorded.shown).toContain('wait 300 rate limited (429), as the server asks [429: waiting]');
  });

  it('an error of a request in flight (a refused key) ends the run with that error, after the others in flight', async () => {
    const { action } = scripted(() => {
      throw new Error('The server refused the integration key (401: Invalid key)');
    });
    await expect(sendRows(source([item(2, 'a@example.com'), item(3, 'b@example.com'), item(4, 'c@example.com')]), options({ action, journal: newJournal() }))).rejects.toThrow(
      'The server refused the integration key (401: Invalid key)',
    );
  });
});
