// A run over the rows of a file: `take-control import` (create each row) and `enable`/`disable --file`
// (set each row's status). The stages, in order: the input file checked (input.ts), its rows read
// (rows.ts), checked (check.ts), then sent with the journal and the report (send/). Everything a run
// writes (its lock, journal and report) is opened before the first request: a place that cannot be
// written stops the run with nothing sent.
import { checkRows, type RowCheck } from './check.js';
import { checkInputFile, countInputRows, readRows, type ReadOptions } from './input.js';
import type { Progress } from './progress.js';
import { openReport, type FailureReport } from './report.js';
import type { RowSource } from './rows.js';
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
  checkInputFile(file);
  let source: RowSource | undefined;
  const report: FailureReport = openReport(options.reportPath, options.format, () => source?.columns());
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
    source = await readRows(file, options);
    const counts = await sendRows(checkRows(source.rows, options.check), { ...options, journal, report, expected });
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
