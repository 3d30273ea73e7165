// The sending stage's outcomes in-process, as send.test.ts: a scripted action standing in for the server, the
// real journal on a temporary file, a report and a progress that record all they are given. Here: the
// progress counts, the journal's exact lines, a rerun meeting rows an earlier run sent with no answer, the
// retries' waits and giving up (on a clock the test moves), each Ctrl-C, and errors that are not stops.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { allDone, httpError, invalid, item, JOURNAL_URL, networkError, scripted, sendingHarness, source } from '../testing/sending.js';
import type { RequestOutcome } from './actions.js';
import type { Checked } from './items.js';
import { openJournal, type Journal } from './journal.js';
import { sendRows } from './send.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-send-outcomes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => void vi.useRealTimers());
const { newJournal, recorders, options } = sendingHarness(dir);
/** A journal an earlier run left, reopened: `write` is what that run did. */
function earlier(write: (journal: Journal) => void): Journal {
  const first = newJournal();
  write(first);
  first.close();
  return openJournal(first.path, JOURNAL_URL);
}
const printOf = (checked: Checked) => checked.item?.fingerprint as string;
const exists409: RequestOutcome = { kind: 'refused-whole', error: httpError(409, 'Email already exists') };

/** The journal's entries after its header, fingerprints left out. */
const entries = (journal: Journal) =>
  readFileSync(journal.path, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => {
      const { fingerprints: _, ...entry } = JSON.parse(line) as Record<string, string[]>;
      return entry;
    });

describe('sendRows: counts and the journal', () => {
  it('shows as done each row ended (done, existing, refused or invalid), after those an earlier run did; the journal holds each outcome exactly', async () => {
    const before = earlier((journal) => {
      journal.sent(['old@example.com'], [printOf(item(2, 'old@example.com'))]);
      journal.done(['old@example.com']);
    });
    const { action } = scripted(
      (): RequestOutcome => ({
        kind: 'answered',
        items: [{ kind: 'done' }, { kind: 'refused', reason: 'name: is required', exists: false }, { kind: 'refused', reason: 'Email already exists', exists: true }],
      }),
      { batchSize: 3 },
    );
    const recorded = recorders();
    const rows = [item(2, 'old@example.com'), item(3, 'a@example.com'), invalid(4, 'nope'), item(5, 'r@example.com'), item(6, 'x@example.com')];
    const counts = await sendRows(source(rows), options({ action, journal: before, expected: 5 }, recorded));
    before.close();
    expect(counts).toMatchObject({ total: 5, done: 2, resumed: 1, failed: 2, invalid: 1, refused: 1, existing: 1, changed: 0 });
    expect(recorded.updates.at(-1)).toEqual({ done: 5, created: 2, failed: 2 });
    expect(recorded.shown).toEqual(['start 5 1', 'stop']);
    expect(recorded.notices).toEqual(['resuming: 1 of 5 rows done by an earlier run']);
    expect(entries(before)).toEqual([
      { sent: ['old@example.com'] },
      { done: ['old@example.com'] },
      { sent: ['a@example.com', 'r@example.com', 'x@example.com'] },
      { failed: ['r@example.com'] },
      { existing: ['x@example.com'] },
      { done: ['a@example.com'] },
    ]);
  });

  it('a first run says nothing about resuming, and an empty file still starts and stops the progress', async () => {
    const { action, requests } = scripted(allDone);
    const recorded = recorders();
    const counts = await sendRows(source([]), options({ action, journal: newJournal(), expected: 0 }, recorded));
    expect(requests).toEqual([]);
    expect(counts).toMatchObject({ total: 0, done: 0, failed: 0 });
    expect(recorded.shown).toEqual(['start 0 0', 'stop']);
    expect(recorded.notices).toEqual([]);
  });

  it('with an action but no journal, sends nothing: a row is never sent unrecorded', async () => {
    const { action, requests } = scripted(allDone);
    const counts = await sendRows(source([item(2, 'a@example.com')]), options({ action }));
    expect(requests).toEqual([]);
    expect(counts).toMatchObject({ total: 1, valid: 1, done: 0, failed: 0 });
  });
});

describe('sendRows: a rerun meets what an earlier run sent', () => {
  it('a row sent with no answer, then refused in an answer as existing, was done by that send; a row never sent is existing', async () => {
    const journal = earlier((first) => first.sent(['a@example.com'], [printOf(item(2, 'a@example.com'))]));
    const { action } = scripted((): RequestOutcome => ({ kind: 'answered', items: [{ kind: 'refused', reason: 'Email already exists', exists: true }, { kind: 'refused', reason: 'Email already exists', exists: true }] }));
    const recorded = recorders();
    const counts = await sendRows(source([item(2, 'a@example.com'), item(3, 'b@example.com')]), options({ action, journal }, recorded));
    journal.close();
    expect(counts).toMatchObject({ done: 1, existing: 1, failed: 0, changed: 0 });
    expect(entries(journal).slice(-3)).toEqual([{ sent: ['a@example.com', 'b@example.com'] }, { done: ['a@example.com'] }, { existing: ['b@example.com'] }]);
  });

  it('a row sent with no answer and edited since, refused now as existing, is changed (its earlier values stand); unedited, it is done', async () => {
    const journal = earlier((first) => first.sent(['a@example.com', 'b@example.com'], [printOf(item(2, 'a@example.com', 'Old')), printOf(item(3, 'b@example.com'))]));
    const { action } = scripted(() => exists409, { batchSize: 1 });
    const recorded = recorders();
    const counts = await sendRows(source([item(2, 'a@example.com', 'New'), item(3, 'b@example.com')]), options({ action, journal }, recorded));
    journal.close();
    expect(counts).toMatchObject({ done: 1, changed: 1, existing: 0, failed: 0 });
    expect(counts.changes).toEqual([{ line: 2, email: 'a@example.com', fields: ['name'] }]);
    expect(recorded.notices).toEqual(['line 2: a@example.com was sent by an earlier run with other values (name changed since): the server keeps those; there is no call to change them.']);
    expect(entries(journal).filter((entry) => 'done' in entry)).toEqual([{ done: ['a@example.com'] }, { done: ['b@example.com'] }]);
  });

  it('a row done by an earlier run that sent no fingerprint is done, not changed', async () => {
    const journal = earlier((first) => {
      first.sent(['a@example.com']);
      first.done(['a@example.com']);
    });
    const { action, requests } = scripted(allDone);
    const recorded = recorders();
    const counts = await sendRows(source([item(2, 'a@example.com')]), options({ action, journal, expected: 1 }, recorded));
    journal.close();
    expect(requests).toEqual([]);
    expect(counts).toMatchObject({ done: 1, resumed: 1, changed: 0 });
    expect(recorded.notices).toEqual(['resuming: 1 of 1 rows done by an earlier run']);
  });

  it('names each field changed, and says "fields" when the fingerprints differ only in their order', async () => {
    const journal = earlier((first) => {
      first.sent(['a@example.com', 'b@example.com'], ['name=00000000;phone=11111111', 'phone=22222222;name=33333333']);
      first.done(['a@example.com', 'b@example.com']);
    });
    const recorded = recorders();
    const b: Checked = item(3, 'b@example.com');
    if (b.item) b.item.fingerprint = 'name=33333333;phone=22222222';
    const counts = await sendRows(source([item(2, 'a@example.com'), b]), options({ action: scripted(allDone).action, journal, expected: 2 }, recorded));
    journal.close();
    expect(counts.changes).toEqual([
      { line: 2, email: 'a@example.com', fields: ['name', 'phone'] },
      { line: 3, email: 'b@example.com', fields: [] },
    ]);
    expect(recorded.notices.slice(1)).toEqual([
      'line 2: a@example.com was sent by an earlier run with other values (name, phone changed since): the server keeps those; there is no call to change them.',
      'line 3: b@example.com was sent by an earlier run with other values (fields changed since): the server keeps those; there is no call to change them.',
    ]);
  });

  it('keeps the first 100 changed rows and says the first 10', async () => {
    const emails = Array.from({ length: 102 }, (_, index) => `r${index}@example.com`);
    const journal = earlier((first) => {
      first.sent(emails, emails.map((email, index) => printOf(item(index + 2, email, 'Old'))));
      first.done(emails);
    });
    const recorded = recorders();
    const counts = await sendRows(source(emails.map((email, index) => item(index + 2, email))), options({ action: scripted(allDone).action, journal, expected: 102 }, recorded));
    journal.close();
    expect(counts).toMatchObject({ changed: 102, resumed: 102, done: 0 });
    expect(counts.changes.length).toBe(100);
    expect(counts.changes.at(-1)).toEqual({ line: 101, email: 'r99@example.com', fields: ['name'] });
    expect(recorded.notices.length).toBe(11); // resuming, then 10 rows
    expect(recorded.notices.at(-1)).toMatch(/^line 11: r9@example\.com was sent/);
  });
});

describe('sendRows: no answer', () => {
  it('sends again after 250 ms, 500 ms, 1 s while the server has not been silent for giveUpMs, with a status in the wait', async () => {
    const unavailable = httpError(503, 'Service Unavailable');
    const { action, requests } = scripted((emails, _context, call) => (call <= 3 ? { kind: 'unanswered', error: unavailable } : allDone(emails)), { batchSize: 1 });
    const journal = newJournal();
    const recorded = recorders();
    const counts = await sendRows(source([item(2, 'a@example.com')]), options({ action, journal }, recorded));
    journal.close();
    expect(requests.length).toBe(4);
    expect(counts).toMatchObject({ done: 1, failed: 0 });
    expect(counts.stopped).toBeUndefined();
    expect(recorded.shown).toEqual([
      'start 0 0',
      'wait 250 no answer (503 Service Unavailable), sending again [no answer: retry in]',
      'wait 500 no answer (503 Service Unavailable), sending again [no answer: retry in]',
      'wait 1000 no answer (503 Service Unavailable), sending again [no answer: retry in]',
      'stop',
    ]);
  });

  it('gives up once the server has been silent for giveUpMs exactly, after three tries, naming the seconds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-02T03:04:05.000Z'));
    const { action, requests } = scripted(() => {
      vi.setSystemTime(Date.now() + 10_000); // each request goes unanswered for 10 s
      return { kind: 'unanswered', error: networkError };
    });
    const journal = newJournal();
    const recorded = recorders();
    const counts = await sendRows(source([item(2, 'a@example.com')]), options({ action, journal, giveUpMs: 30_000 }, recorded));
    journal.close();
    expect(requests.length).toBe(3);
    expect(counts.stopped).toBe('The server has not answered for 30 s (last: network: socket hang up): gave up.');
    expect(counts.interrupted).toBe(false);
    expect(recorded.shown.filter((line) => line.startsWith('wait'))).toEqual([
      'wait 250 no answer (network: socket hang up), sending again [no answer: retry in]',
      'wait 500 no answer (network: socket hang up), sending again [no answer: retry in]',
    ]);
  });
});

describe('sendRows: Ctrl-C and errors', () => {
  it('a second Ctrl-C while no answer came stops at once, before any wait', async () => {
    const stop = new AbortController();
    const abort = new AbortController();
    const { action, requests } = scripted(() => {
      stop.abort();
      abort.abort();
      return { kind: 'unanswered', error: { ...networkError, kind: 'aborted', message: 'aborted' } };
    });
    const journal = newJournal();
    const recorded = recorders();
    const counts = await sendRows(source([item(2, 'a@example.com')]), options({ action, journal, stop: stop.signal, abort: abort.signal }, recorded));
    expect(requests).toEqual([['a@example.com']]);
    expect(counts).toMatchObject({ stopped: 'Stopped by Ctrl-C while requests were in flight.', interrupted: true, done: 0 });
    expect(recorded.shown).toEqual(['start 0 0', 'stop']);
    expect(journal.possiblySent('a@example.com')).toBe(true);
    journal.close();
  });

  it('a second Ctrl-C during the wait before sending again ends the wait at once, and sends nothing more', async () => {
    const stop = new AbortController();
    const abort = new AbortController();
    const { action, requests } = scripted(() => {
      setTimeout(() => {
        stop.abort();
        abort.abort();
      }, 20);
      return { kind: 'unanswered', error: networkError };
    });
    const journal = newJournal();
    const started = performance.now();
    const counts = await sendRows(source([item(2, 'a@example.com')]), options({ action, journal, stop: stop.signal, abort: abort.signal }));
    journal.close();
    expect(performance.now() - started).toBeLessThan(200);
    expect(requests).toEqual([['a@example.com']]);
    expect(counts).toMatchObject({ stopped: 'Stopped by Ctrl-C while requests were in flight.', interrupted: true });
  });

  it('a second Ctrl-C during a 429 wait ends the wait at once', async () => {
    const stop = new AbortController();
    const abort = new AbortController();
    const { action, requests } = scripted(
      (emails, context, call) => {
        if (context.signal.aborted) return { kind: 'unanswered', error: { ...networkError, kind: 'aborted', message: 'aborted' } };
        if (call === 1) {
          context.onRateLimit(3000);
          setTimeout(() => {
            stop.abort();
            abort.abort();
          }, 50);
        }
        return allDone(emails);
      },
      { batchSize: 1 },
    );
    const journal = newJournal();
    const recorded = recorders();
    const started = performance.now();
    const counts = await sendRows(source([item(2, 'a@example.com'), item(3, 'b@example.com')]), options({ action, journal, stop: stop.signal, abort: abort.signal }, recorded));
    journal.close();
    expect(performance.now() - started).toBeLessThan(1500);
    expect(counts).toMatchObject({ done: 1, stopped: 'Stopped by Ctrl-C.', interrupted: true });
    expect(requests.length).toBe(2);
    expect(recorded.shown).toContain('wait 3000 rate limited (429), as the server asks [429: waiting]');
  });

  it('an error of a request in flight stops the reading of the file at the next row', async () => {
    const { action } = scripted(
      () => {
        throw new Error('The server refused the integration key (401: Invalid key)');
      },
      { batchSize: 1, inFlight: 2 },
    );
    async function* slow(): AsyncGenerator<Checked> {
      yield item(2, 'a@example.com');
      await new Promise((resolve) => setTimeout(resolve, 20));
      yield invalid(3, 'b');
      yield invalid(4, 'c');
      yield invalid(5, 'd');
    }
    const recorded = recorders();
    await expect(sendRows(slow(), options({ action, journal: newJournal() }, recorded))).rejects.toThrow('The server refused the integration key (401: Invalid key)');
    expect(recorded.reported.map(([, reason]) => reason)).toEqual(['line 3: email: is not a valid email']);
  });

  it('a file that cannot be read to its end is an error, not a stop: it is thrown, after the progress stops', async () => {
    const { action } = scripted(allDone, { batchSize: 1 });
    async function* broken(): AsyncGenerator<Checked> {
      yield item(2, 'a@example.com');
      throw new Error('EIO: i/o error, read');
    }
    const recorded = recorders();
    await expect(sendRows(broken(), options({ action, journal: newJournal() }, recorded))).rejects.toThrow('EIO: i/o error, read');
    expect(recorded.shown).toEqual(['start 0 0', 'stop']);
  });

  it('a request that fails after a first Ctrl-C ends the run with its error, not as a stop', async () => {
    const stop = new AbortController();
    const { action } = scripted(
      async () => {
        stop.abort();
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('The server refused the integration key (401: Invalid key)');
      },
      { batchSize: 1, inFlight: 2 },
    );
    const recorded = recorders();
    await expect(sendRows(source([item(2, 'a@example.com'), item(3, 'b@example.com')]), options({ action, journal: newJournal(), stop: stop.signal }, recorded))).rejects.toThrow(
      'The server refused the integration key (401: Invalid key)',
    );
    expect(recorded.shown).toEqual(['start 0 0', 'stop']);
  });
});
