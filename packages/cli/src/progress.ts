// How an import shows where it is. On a terminal: one live bar (rows done of total, rate, ETA, and a
// countdown while a 429's Retry-After runs), drawn by cli-progress on stderr. Elsewhere (a pipe, a log, CI):
// plain lines, at most one a second, plus one line per wait. stdout stays for the summary or `--json`.
import cliProgress from 'cli-progress';

export interface Counts {
  done: number;
  created: number;
  failed: number;
}

export interface Progress {
  start(total: number, counts: Counts): void;
  update(counts: Counts): void;
  /** A wait the server asked for (429), or a retry after a transient failure: `why` in words, `tag` in a few characters for the bar. */
  waiting(ms: number, why: string, tag: string): void;
  stop(): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

export function createProgress(stream: NodeJS.WriteStream = process.stderr, label = 'import'): Progress {
  return stream.isTTY ? barProgress(stream) : lineProgress(stream, label);
}

function rateOf(counts: Counts, startedAt: number, startDone: number): number {
  const elapsed = (Date.now() - startedAt) / 1000;
  return elapsed > 0 ? Math.round((counts.done - startDone) / elapsed) : 0;
}

/** Time left at this rate, as `45s` or `3m 05s`; `-` until there is a rate. */
function eta(rowsLeft: number, rate: number): string {
  if (rowsLeft <= 0) return '0s';
  if (rate <= 0) return '-';
  const left = Math.ceil(rowsLeft / rate);
  return left < 60 ? `${left}s` : `${Math.floor(left / 60)}m ${String(left % 60).padStart(2, '0')}s`;
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      // The ETA is ours, from the rate since the start (waits included): cli-progress's own shows "NULL"
      // or "INF" while batches land in bursts.
      // It fits 100 columns with a wait shown; a narrower terminal cuts the end of the line.
      format: '{bar} {value}/{total} rows | {rate} rows/s | ETA {timeLeft} | {created} created, {failed} failed{wait}',
      barCompleteChar: '█',
      barIncompleteChar: '░',
      barsize: 16,
      hideCursor: true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let startedAt = Date.now();
  let startDone = 0;
  let last: Counts = { done: 0, created: 0, failed: 0 };
  let waitUntil = 0;
  let tag = '';
  let ticker: ReturnType<typeof setInterval> | undefined;
  let total = 0;
  const payload = () => {
    const left = waitUntil - Date.now();
    const rate = rateOf(last, startedAt, startDone);
    return { created: last.created, failed: last.failed, rate, timeLeft: eta(total - last.done, rate), wait: left > 0 ? ` | ${tag} ${seconds(left)}` : '' };
  };
  return {
    start(rows, counts) {
      startedAt = Date.now();
      startDone = counts.done;
      last = counts;
      total = rows;
      bar.start(rows, counts.done, payload());
      // Redraws the countdown while no row moves.
      ticker = setInterval(() => bar.update(last.done, payload()), 200);
      ticker.unref();
    },
    update(counts) {
      last = counts;
      bar.update(counts.done, payload());
    },
    waiting(ms, _why, short) {
      waitUntil = Date.now() + ms;
      tag = short;
      bar.update(last.done, payload());
    },
    stop() {
      clearInterval(ticker);
      waitUntil = 0;
      bar.update(last.done, payload());
      bar.stop();
    },
  };
}

function lineProgress(stream: NodeJS.WriteStream, label: string): Progress {
  let total = 0;
  let startedAt = Date.now();
  let startDone = 0;
  let printedAt = 0;
  let last: Counts = { done: 0, created: 0, failed: 0 };
  const print = (counts: Counts) => {
    printedAt = Date.now();
    const of = total ? `/${total} rows (${Math.floor((counts.done / total) * 100)}%)` : ' rows';
    // A dry run creates nothing: its line counts only what failed the checks.
    const outcome = label === 'check' ? `failed ${counts.failed}` : `created ${counts.created}, failed ${counts.failed}`;
    stream.write(`${label}: ${counts.done}${of}, ${outcome}, ${rateOf(counts, startedAt, startDone)} rows/s\n`);
  };
  return {
    start(rows, counts) {
      total = rows;
      startedAt = Date.now();
      startDone = counts.done;
      last = counts;
      print(counts);
    },
    update(counts) {
      last = counts;
      if (Date.now() - printedAt >= 1000) print(counts);
    },
    waiting(ms, why) {
      stream.write(`${label}: ${why}, waiting ${seconds(ms)}\n`);
    },
    stop() {
      if (printedAt === 0 || last.done !== total || Date.now() - printedAt > 0) print(last);
    },
  };
}
