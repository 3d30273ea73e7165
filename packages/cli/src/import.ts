// `techapi take-control import <file>`: streams the file, checks each row against the spec's schema, and
// creates the valid rows through the client's bulk operation, batch by batch, with a journal that makes
// the run resumable and a report of the rows that failed. Every row ends created or failed.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiError, TakeControlClient, TechnicianCreate } from '@techapi/take-control';
import { openJournal, type Journal } from './journal.js';
import type { Counts, Progress } from './progress.js';
import { openReport } from './report.js';
import { countRows, openRows, type InputFormat, type ReadOptions, type Row } from './rows.js';
import { checkTechnician, describeProblem, technicianFields } from './schema.js';
import { UsageError } from './errors.js';

export interface ImportOptions {
  file: string;
  format: InputFormat;
  /** How to read the file when it does not say: --encoding, --delimiter, --column, --sheet. */
  reading?: Omit<ReadOptions, 'format' | 'fields'>;
  batchSize: number;
  dryRun: boolean;
  journalPath: string;
  reportPath: string;
  /** Absent for a dry run, which sends nothing. */
  client?: TakeControlClient;
  baseUrl: string;
  progress: Progress;
  /** Aborted on the first Ctrl-C: the batch in flight ends, then the import stops. */
  stop: AbortSignal;
  /** Aborted on the second Ctrl-C: the batch in flight is abandoned (the journal still knows it). */
  abort: AbortSignal;
}

export interface ImportSummary {
  file: string;
  dryRun: boolean;
  /** Rows read; with a stop, those read before it. */
  total: number;
  created: number;
  failed: number;
  /** Rows valid for the schema and not repeated (a dry run's "would be sent"). */
  valid: number;
  /** Failed before sending: invalid for the schema, or unreadable. */
  invalid: number;
  /** Failed before sending: their email is on an earlier row. */
  repeated: number;
  /** Failed on the server's answer. */
  refused: number;
  /** Created by an earlier run of this import (from the journal), not sent again. */
  resumed: number;
  /** Set when the import stopped before the end: why, and how to go on. */
  stopped?: string;
  report?: string;
  journal?: string;
  seconds: number;
  rowsPerSecond: number;
}

/**
 * Consecutive failures of one send with no answer (5xx, dropped connection, timeout) before the import
 * stops (to be resumed): with the waits between them, about half a minute of an unreachable server.
 */
const MAX_UNANSWERED = 10;

class Stopped extends Error {}

/** How many failure reasons the terminal shows, for every format. */
const FIRST_FAILURES = 5;

/** What the reading noticed at the end (values trimmed), and the first failures' reasons, on stderr. */
function printEnd(notices: string[], firstFailures: string[], failed: number): void {
  const lines = [...notices];
  if (firstFailures.length) {
    const why = failed > firstFailures.length ? `Why rows failed (the first ${firstFailures.length} of ${failed}, all in the report):` : `Why ${failed} row${failed > 1 ? 's' : ''} failed:`;
    lines.push(why, ...firstFailures.map((reason) => `  ${reason}`));
  }
  if (lines.length) process.stderr.write(`${lines.join('\n')}\n`);
}

interface Pending {
  row: Row;
  email: string;
  key: string;
  technician: TechnicianCreate;
}

export async function runImport(options: ImportOptions): Promise<ImportSummary> {
  const { file, format, batchSize, dryRun, client, progress } = options;
  const startedAt = Date.now();

  // A first pass counts the rows for the progress display, and finds an unreadable file before anything is sent.
  const reading: ReadOptions = { ...options.reading, format, fields: technicianFields };
  let expected = 0;
  if (!dryRun) expected = await countRows(file, reading);

  const source = await openRows(file, reading);
  for (const notice of source.notices) process.stderr.write(`${notice}\n`);
  const report = openReport(options.reportPath, source);
  /** The first reasons, printed once the run ends: the report has them all. */
  const firstFailures: string[] = [];
  const journal: Journal | undefined = dryRun ? undefined : openJournal(options.journalPath, options.baseUrl);
  const summary: ImportSummary = {
    file,
    dryRun,
    total: 0,
    created: 0,
    failed: 0,
    valid: 0,
    invalid: 0,
    repeated: 0,
    refused: 0,
    resumed: 0,
    seconds: 0,
    rowsPerSecond: 0,
  };
  const counts = (): Counts => ({ done: dryRun ? summary.total : summary.created + summary.failed, created: summary.created, failed: summary.failed });
  const fail = async (row: Row, reason: string) => {
    summary.failed++;
    if (firstFailures.length < FIRST_FAILURES) firstFailures.push(`line ${row.line}: ${reason}`);
    await report.add(row.original, `line ${row.line}: ${reason}`);
  };
  const firstLine = new Map<string, number>();
  let batch: Pending[] = [];
  let started = false;

  try {
    for await (const row of source.rows) {
      if (!started) {
        progress.start(expected, counts());
        started = true;
      }
      summary.total++;
      // A row unreadable as a whole (not JSON, the wrong width) has nothing to check; an unknown key still lets the rest be checked.
      const problems = row.problems.some((problem) => !problem.column) ? row.problems : [...row.problems, ...checkTechnician(row.fields)];
      if (problems.length > 0) {
        summary.invalid++;
        await fail(row, problems.map(describeProblem).join('; '));
      } else {
        const email = String(row.fields.email);
        const key = email.toLowerCase();
        const first = firstLine.get(key);
        if (first !== undefined) {
          summary.repeated++;
          await fail(row, `email: ${email} is repeated: line ${first} has it already, and only that row is imported`);
        } else {
          firstLine.set(key, row.line);
          summary.valid++;
          if (journal?.created.has(key)) {
            summary.created++;
            summary.resumed++;
          } else if (!dryRun) {
            batch.push({ row, email, key, technician: row.fields as TechnicianCreate });
          }
        }
      }
      if (batch.length >= batchSize) {
        await sendBatch(batch);
        batch = [];
        if (options.stop.aborted) throw new Stopped();
      }
      progress.update(counts());
    }
    if (!started) progress.start(expected, counts());
    if (batch.length > 0) await sendBatch(batch);
    batch = [];
  } catch (error) {
    if (!(error instanceof Stopped)) {
      progress.stop();
      await report.discard();
      throw error;
    }
    summary.stopped = error.message || 'Stopped by Ctrl-C.';
  }
  progress.update(counts());
  progress.stop();
  printEnd(source.endNotices(), firstFailures, summary.failed);
  const wrote = await report.close();
  summary.seconds = (Date.now() - startedAt) / 1000;
  summary.rowsPerSecond = summary.seconds > 0 ? Math.round((summary.total - summary.resumed) / summary.seconds) : 0;
  if (wrote) summary.report = report.path;
  if (journal) summary.journal = journal.path;
  return summary;

  /** Sends one batch, isolating the rows of a batch refused whole, until each row is created or failed. */
  async function sendBatch(rows: Pending[]): Promise<void> {
    if (!client || !journal) return;
    for (let unanswered = 0; ; ) {
      const outcome = await sendOnce(rows);
      if (outcome.kind === 'answered') return;
      if (outcome.kind === 'refused-whole') {
        journal.rejected(rows.map((pending) => pending.key));
        if (rows.length === 1) {
          const only = rows[0] as Pending;
          await settle(only, outcome.error.message, outcome.error.status === 409, journal.possiblySent(only.key));
          progress.update(counts());
          return;
        }
        // One row can make the server refuse the whole batch (a 409 for one existing email): halves until it is alone.
        const half = Math.ceil(rows.length / 2);
        await sendBatch(rows.slice(0, half));
        await sendBatch(rows.slice(half));
        return;
      }
      // No answer: the rows were possibly created, and stay open in the journal. Try again, then give up.
      if (options.abort.aborted) throw new Stopped('Stopped by Ctrl-C while a batch was in flight.');
      if (++unanswered >= MAX_UNANSWERED) {
        throw new Stopped(`The server did not answer ${unanswered} times in a row (last: ${describe(outcome.error)}).`);
      }
      const waitMs = Math.min(5000, 250 * 2 ** (unanswered - 1));
      progress.waiting(waitMs, `no answer (${describe(outcome.error)}), sending again`, 'no answer: retry in');
      await sleep(waitMs, undefined, { signal: options.abort }).catch(() => undefined);
    }
  }

  type Outcome = { kind: 'answered' } | { kind: 'refused-whole' | 'unanswered'; error: ApiError };

  async function sendOnce(rows: Pending[]): Promise<Outcome> {
    if (!client || !journal) return { kind: 'answered' };
    const sentBefore = rows.map((pending) => journal.possiblySent(pending.key));
    journal.sent(rows.map((pending) => pending.key));
    // A 429 is waited out for as long as it takes (the client honours Retry-After); any other retry is
    // this function's, so that the journal knows about it.
    const giveUp = new AbortController();
    let unanswered: ApiError | undefined;
    const result = await client.createTechnicians(
      rows.map((pending) => pending.technician),
      {
        batchSize: rows.length,
        retry: { attempts: Infinity, maxElapsedMs: Infinity },
        signal: AbortSignal.any([options.abort, giveUp.signal]),
        onRetry: ({ waitMs, error }) => {
          if (error.status === 429) progress.waiting(waitMs, 'rate limited (429), as the server asks', '429: waiting');
          else {
            unanswered = error;
            giveUp.abort();
          }
        },
      },
    );
    if (result.error) throw new Error(`createTechnicians refused its input: ${result.error.message}`);
    const batchError = result.results.every((outcome) => !outcome.created && outcome.error) ? (result.results[0] as { error: ApiError }).error : undefined;
    if (batchError) {
      if (batchError.kind === 'aborted' && options.abort.aborted) return { kind: 'unanswered', error: batchError };
      const error = unanswered ?? batchError;
      if (error.status === 401 || error.status === 403) {
        journal.rejected(rows.map((pending) => pending.key));
        throw new UsageError(`The server refused the integration key (${error.status}: ${error.message}): check TAKE_CONTROL_KEY or --key-file.`);
      }
      if (error.kind === 'http' && error.status >= 400 && error.status < 500) return { kind: 'refused-whole', error };
      return { kind: 'unanswered', error };
    }
    const created: string[] = [];
    const missing: Pending[] = [];
    for (const [index, outcome] of result.results.entries()) {
      const pending = rows[index] as Pending;
      if (outcome.created) {
        created.push(pending.key);
        summary.created++;
      } else if (!outcome.result && !outcome.error) missing.push(pending); // left out of the server's answer
      else await settle(pending, outcome.reason, /already exists/i.test(outcome.reason), sentBefore[index] === true);
    }
    journal.createdNow(created);
    progress.update(counts());
    if (missing.length > 0) await sendBatch(missing);
    return { kind: 'answered' };
  }

  /** A row the server refused: created all the same when an earlier send of it had no answer and it now exists. */
  async function settle(pending: Pending, reason: string, exists: boolean, possiblySent: boolean): Promise<void> {
    if (!journal) return;
    if (exists && possiblySent) {
      journal.createdNow([pending.key]);
      summary.created++;
      return;
    }
    journal.failedNow([pending.key]);
    summary.refused++;
    await fail(pending.row, `refused by the server: ${reason}`);
  }
}

function describe(error: ApiError): string {
  return error.status ? `${error.status} ${error.message}` : `${error.kind}: ${error.message}`;
}
