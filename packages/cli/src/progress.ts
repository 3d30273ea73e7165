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
  /** A wait the server asked for (429), or a retry after a transient failure. */
  waiting(ms: number, why: string): void;
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

function barProgress(stream: NodeJS.WriteStream): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{bar} {value}/{total} rows | {rate} rows/s | ETA {eta_formatted} | created {created}, failed {failed}{wait}',
      barCompleteChar: '█',
      barIncompleteChar: '░',
      barsize: 24,
      hideCursor: true,
      fps: 10,
      etaBuffer: 50,
      etaAsynchronousUpdate: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let startedAt = Date.now();
  let startDone = 0;
  let last: Counts = { done: 0, created: 0, failed: 0 };
  let waitUntil = 0;
  let why = '';
  let ticker: ReturnType<typeof setInterval> | undefined;
  const payload = () => {
    const left = waitUntil - Date.now();
    return { created: last.created, failed: last.failed, rate: rateOf(last, startedAt, startDone), wait: left > 0 ? ` | ⏳ ${why}: ${seconds(left)}` : '' };
  };
  return {
    start(total, counts) {
      startedAt = Date.now();
      startDone = counts.done;
      last = counts;
      bar.start(total, counts.done, payload());
      // Redraws the countdown while no row moves.
      ticker = setInterval(() => bar.update(last.done, payload()), 200);
      ticker.unref();
    },
    update(counts) {
      last = counts;
      bar.update(counts.done, payload());
    },
    waiting(ms, reason) {
      waitUntil = Date.now() + ms;
      why = reason;
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
    stream.write(`${label}: ${counts.done}${of}, created ${counts.created}, failed ${counts.failed}, ${rateOf(counts, startedAt, startDone)} rows/s\n`);
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
      stream.write(`${label}: ${why}: waiting ${seconds(ms)}\n`);
    },
    stop() {
      if (printedAt === 0 || last.done !== total || Date.now() - printedAt > 0) print(last);
    },
  };
}
