// A run over the rows of a file: `take-control import` (create each row) and `enable`/`disable --file`
// (set each row's status). The stages, in order: the input file checked and its rows read (input.ts, read/:
// encoding, dialect or workbook, columns), checked (check.ts), then sent with the journal and the report
// (send/). Everything a run writes (its lock, journal and report) is opened before the first request: a
// place that cannot be written stops the run with nothing sent.
import { checkRows, type RowCheck } from './check.js';
import { countInputRows, readRows, type ReadOptions } from './input.js';
import type { Progress } from './progress.js';
import { openReport, type FailureReport } from './report.js';
import type { Action } from './send/actions.js';
import { openJournal, type Journal } from './send/journal.js';
import { describeLockHolder, lockJournal, type Lock } from './send/lock.js';
import { sendRows, type SendCounts } from './send/send.js';

export interface RunOptions extends ReadOptions {
  file: string;
  /** Each row's fields, checked before anything is sent. */
  check: RowCheck;
  /** What the command does to each row, named even for a dry run. */
  does: Pick<Action, 'name' | 'past'>;
  /** Does it; absent for a dry run, which sends nothing. */
  action?: Action;
  journalPath: string;
  reportPath: string;
  baseUrl: string;
  progress: Progress;
  existing: 'count' | 'fail';
  giveUpMs: number;
  stop: AbortSignal;
  abort: AbortSignal;
  notice(text: string): void;
}

export interface RunSummary extends SendCounts {
  file: string;
  dryRun: boolean;
  /** create, enable or disable. */
  action: Action['name'];
  /** What `done` counts: created, enabled, disabled. */
  past: Action['past'];
  report?: string;
  journal?: string;
  seconds: number;
  rowsPerSecond: number;
}

export async function runRows(options: RunOptions): Promise<RunSummary> {
  const { file, action } = options;
  const startedAt = Date.now();
  // The header is read first: a file, header or reading flag that is wrong stops the run before anything is written.
  const source = await readRows(file, options);
  // The report is written in the input's dialect (its columns, its separator), known now that it is open.
  const report: FailureReport = openReport(options.reportPath, source);
  let lock: Lock | undefined;
  let journal: Journal | undefined;
  try {
    if (action) {
      lock = lockJournal(options.journalPath);
      if (lock.tookOver) options.notice(`The journal's lock ${lock.path} was left by ${describeLockHolder(lock.tookOver)}, which is no longer running: taken over.`);
      journal = openJournal(options.journalPath, options.baseUrl, action.name);
    }
    await report.ready();
    // A first pass counts the rows for the progress display, and finds an unreadable file before anything is sent.
    const expected = action ? await countInputRows(file, options) : 0;
    // What the reading found (a guessed encoding, the separator, the sheet, the columns taken), before the first row.
    for (const notice of source.notices) options.notice(notice);
    const counts = await sendRows(checkRows(source.rows, options.check), { ...options, journal, report, expected });
    for (const notice of endNotices(source.endNotices(), report.firstReasons, counts.failed)) options.notice(notice);
    const wrote = await report.close();
    const seconds = (Date.now() - startedAt) / 1000;
    return {
      ...counts,
      file,
      dryRun: !action,
      action: options.does.name,
      past: options.does.past,
      report: wrote ? report.path : undefined,
      journal: journal?.path,
      seconds,
      rowsPerSecond: seconds > 0 ? Math.round((counts.total - counts.resumed) / seconds) : 0,
    };
  } catch (error) {
    await report.discard();
    throw error;
  } finally {
    journal?.close();
    lock?.release();
  }
}

/** What the reading noticed once every row was read (values trimmed, later keys ignored), then why the first rows failed. */
function endNotices(reading: string[], firstReasons: readonly string[], failed: number): string[] {
  if (firstReasons.length === 0) return reading;
  const shown = firstReasons.length;
  const why = failed > shown ? `Why rows failed (the first ${shown} of ${failed}, all in the report):` : `Why ${failed} row${failed > 1 ? 's' : ''} failed:`;
  return [...reading, why, ...firstReasons.map((reason) => `  ${reason}`)];
}
