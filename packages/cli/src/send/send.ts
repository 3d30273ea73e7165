// The sending stage, after the reading and checking stages: takes each checked row and ends it done
// (created, enabled, disabled), existing, changed or failed, through an action (actions.ts), with the
// journal (a rerun resumes), the failure report, the progress display, 429s waited out, a server that stops
// answering given up on (resumable), and Ctrl-C (first: after the requests in flight; second: now).
// Every row read ends in exactly one count: total = done + existing + changed + failed.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiError } from '@techapi/take-control';
import type { Counts, Progress } from '../progress.js';
import type { FailureReport } from '../report.js';
import type { Action, ItemOutcome } from './actions.js';
import { changedFields } from './fingerprint.js';
import type { Checked, Item } from './items.js';
import type { Journal } from './journal.js';

export interface SendOptions {
  /** Absent for a dry run, which sends nothing. */
  action?: Action;
  journal?: Journal;
  report: FailureReport;
  progress: Progress;
  /** The rows the file holds (the progress total). */
  expected: number;
  /** `count`: a row already on the server (a 409 for a row this run did not possibly send) is `existing`; `fail`: a failure, as before. */
  existing: 'count' | 'fail';
  /** How long a server may go without answering before the run stops (resumable). */
  giveUpMs: number;
  /** Aborted on the first Ctrl-C: the requests in flight end, then the run stops. */
  stop: AbortSignal;
  /** Aborted on the second Ctrl-C: the requests in flight are abandoned (the journal still knows them). */
  abort: AbortSignal;
  /** A line for the person running the command (stderr). */
  notice(text: string): void;
}

/** A row created (or set) by an earlier run whose values have changed in the file since. */
export interface Change {
  line: number;
  email: string;
  fields: string[];
}

export interface SendCounts {
  /** Rows read; with a stop, those read before it. */
  total: number;
  /** Rows done: created (or enabled, disabled), by this run or, per the journal, an earlier one. */
  done: number;
  failed: number;
  /** Already on the server before this run sent them (a 409 "already exists"): not failed, not created. */
  existing: number;
  /** Created by an earlier run, and edited in the file since: the server keeps what was sent then. */
  changed: number;
  /** Rows valid for the schema and not repeated (a dry run's "would be sent"). */
  valid: number;
  /** Failed before sending: invalid for the schema, or unreadable. */
  invalid: number;
  /** Failed before sending: their email is on an earlier row. */
  repeated: number;
  /** Failed on the server's answer. */
  refused: number;
  /** Done by an earlier run (from the journal), not sent again. */
  resumed: number;
  /** The first changed rows (up to 100), for the summary. */
  changes: Change[];
  /** Set when the run stopped before the end: why. */
  stopped?: string;
  /** Whether the stop was asked for with Ctrl-C (else the server stopped answering). */
  interrupted: boolean;
}

/** Ends the run early, keeping what was done: the summary says why and how to resume. */
class Stopped extends Error {}

const MAX_CHANGES_KEPT = 100;
const MAX_CHANGES_SHOWN = 10;

export async function sendRows(rows: AsyncIterable<Checked>, options: SendOptions): Promise<SendCounts> {
  const { action, journal, report, progress } = options;
  const counts: SendCounts = { total: 0, done: 0, failed: 0, existing: 0, changed: 0, valid: 0, invalid: 0, repeated: 0, refused: 0, resumed: 0, changes: [], interrupted: false };
  const doneBefore = journal ? Math.min(journal.doneBefore, options.expected) : 0;
  /** Rows ended by this run (resumed ones left out): the bar starts from what earlier runs did. */
  let endedNow = 0;
  const progressCounts = (): Counts => ({ done: action ? doneBefore + endedNow : counts.total, created: counts.done, failed: counts.failed });
  let lastAnswerAt = Date.now();
  let pausedUntil = 0;
  const inFlight = new Set<Promise<void>>();
  /** The first error of a request in flight (a stop, a refused key): ends the run. */
  let fatal: unknown;

  const fail = async (row: Checked['row'], reason: string) => {
    counts.failed++;
    endedNow++;
    await report.add(row.original, `line ${row.line}: ${reason}`);
  };
  const changed = (item: Item, fields: string[]) => {
    counts.changed++;
    if (counts.changes.length < MAX_CHANGES_KEPT) counts.changes.push({ line: item.row.line, email: item.email, fields });
    if (counts.changes.length <= MAX_CHANGES_SHOWN) {
      options.notice(
        `line ${item.row.line}: ${item.email} was sent by an earlier run with other values (${fields.join(', ') || 'fields'} changed since): ` +
          'the server keeps those; there is no call to change them.',
      );
    }
  };

  if (doneBefore > 0) {
    options.notice(`resuming: ${doneBefore.toLocaleString('en-US')} of ${options.expected.toLocaleString('en-US')} rows done by an earlier run`);
  }

  /** A row the server refused on its own: existing, changed, done or failed. */
  async function settle(item: Item, reason: string, exists: boolean, possiblySent: boolean): Promise<void> {
    if (!journal) return;
    endedNow++;
    if (exists && possiblySent) {
      // Sent before with no answer, and there now: that send created it, with the fields it carried.
      journal.done([item.key]);
      const before = journal.fingerprintBefore(item.key);
      if (before !== undefined && before !== item.fingerprint) changed(item, changedFields(before, item.fingerprint));
      else counts.done++;
      return;
    }
    if (exists && options.existing === 'count') {
      journal.existing([item.key]);
      counts.existing++;
      return;
    }
    journal.failed([item.key]);
    counts.refused++;
    endedNow--; // fail() counts it
    await fail(item.row, `refused by the server: ${reason}`);
  }

  /** Sends these rows until each is settled; rows refused whole are halved until the one refused is alone. */
  async function send(items: Item[]): Promise<void> {
    if (!action || !journal) return;
    for (let tries = 1; ; tries++) {
      const sentBefore = items.map((item) => journal.possiblySent(item.key));
      journal.sent(
        items.map((item) => item.key),
        items.map((item) => item.fingerprint),
      );
      const outcome = await action.send(items, {
        signal: options.abort,
        onRateLimit: (waitMs) => {
          pausedUntil = Math.max(pausedUntil, Date.now() + waitMs);
          progress.waiting(waitMs, 'rate limited (429), as the server asks', '429: waiting');
        },
      });
      if (outcome.kind === 'unanswered') {
        // The rows were possibly done, and stay open in the journal. Try again, until the server has been silent too long.
        if (options.abort.aborted) throw new Stopped('Stopped by Ctrl-C while requests were in flight.');
        if (Date.now() - lastAnswerAt >= options.giveUpMs && tries >= 3) {
          throw new Stopped(`The server has not answered for ${Math.round((Date.now() - lastAnswerAt) / 1000)} s (last: ${describe(outcome.error)}): gave up.`);
        }
        const waitMs = Math.min(5000, 250 * 2 ** (tries - 1));
        progress.waiting(waitMs, `no answer (${describe(outcome.error)}), sending again`, 'no answer: retry in');
        await sleep(waitMs, undefined, { signal: options.abort }).catch(() => undefined);
        if (options.abort.aborted) throw new Stopped('Stopped by Ctrl-C while requests were in flight.');
        continue;
      }
      lastAnswerAt = Date.now();
      if (outcome.kind === 'refused-whole') {
        journal.rejected(items.map((item) => item.key));
        if (items.length === 1) {
          await settle(items[0] as Item, outcome.error.message, outcome.error.status === 409, sentBefore[0] === true);
        } else {
          // One row can make the server refuse the whole batch (a 409 for one existing email).
          const half = Math.ceil(items.length / 2);
          await send(items.slice(0, half));
          await send(items.slice(half));
        }
      } else {
        await answered(items, outcome.items, sentBefore);
      }
      progress.update(progressCounts());
      return;
    }
  }

  async function answered(items: Item[], outcomes: ItemOutcome[], sentBefore: boolean[]): Promise<void> {
    const done: string[] = [];
    const again: Item[] = [];
    for (const [index, outcome] of outcomes.entries()) {
      const item = items[index] as Item;
      if (outcome.kind === 'done') {
        done.push(item.key);
        counts.done++;
        endedNow++;
      } else if (outcome.kind === 'again') again.push(item);
      else await settle(item, outcome.reason, outcome.exists, sentBefore[index] === true);
    }
    journal?.done(done);
    if (again.length > 0) await send(again);
  }

  /** Starts a request once one of the action's places in flight is free and no 429 wait runs. */
  async function dispatch(items: Item[]): Promise<void> {
    if (!action) return;
    while (inFlight.size >= action.inFlight) await Promise.race(inFlight);
    if (fatal) throw fatal;
    const pause = pausedUntil - Date.now();
    if (pause > 0) await sleep(pause, undefined, { signal: options.abort }).catch(() => undefined);
    const request: Promise<void> = send(items)
      .catch((error: unknown) => {
        fatal ??= error;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  }

  const drain = async () => {
    while (inFlight.size > 0) await Promise.race(inFlight);
    if (fatal) throw fatal;
  };

  let batch: Item[] = [];
  let started = false;
  try {
    for await (const checked of rows) {
      if (!started) {
        progress.start(options.expected, progressCounts());
        started = true;
      }
      counts.total++;
      if (!checked.item) {
        counts[checked.failure]++;
        await fail(checked.row, checked.reason);
      } else {
        const { item } = checked;
        counts.valid++;
        if (journal?.isDone(item.key)) {
          counts.resumed++;
          const before = journal.fingerprintBefore(item.key);
          if (before !== undefined && before !== item.fingerprint) changed(item, changedFields(before, item.fingerprint));
          else counts.done++;
        } else if (action) {
          batch.push(item);
          if (batch.length >= action.batchSize) {
            await dispatch(batch);
            batch = [];
          }
        }
      }
      if (fatal) throw fatal;
      if (options.stop.aborted) throw new Stopped('Stopped by Ctrl-C.');
      progress.update(progressCounts());
    }
    if (!started) progress.start(options.expected, progressCounts());
    if (batch.length > 0) await dispatch(batch);
    batch = [];
    await drain();
  } catch (error) {
    if (!(error instanceof Stopped)) {
      await drain().catch(() => undefined);
      progress.stop();
      throw error;
    }
    // What is in flight ends first (at once on a second Ctrl-C): its rows are counted, and the journal knows them.
    const late = await drain().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    if (late && !(late instanceof Stopped)) {
      progress.stop();
      throw late;
    }
    counts.stopped = error.message;
    counts.interrupted = options.stop.aborted;
  }
  progress.update(progressCounts());
  progress.stop();
  return counts;
}

function describe(error: ApiError): string {
  return error.status ? `${error.status} ${error.message}` : `${error.kind}: ${error.message}`;
}
