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

/** `label` starts each plain line (import, check, disable); `past` names what `created` counts (created, disabled). */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, label = 'import', past = 'created'): Progress {
  return stream.isTTY ? barProgress(stream, past) : lineProgress(stream, label, past);
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

interface Payload {
  created: number;
  failed: number;
  rate: number;
  timeLeft: string;
  /** The wait running, as `429: waiting 0.8 s`, or ''. */
  wait: string;
  /** What `created` counts: created, enabled, disabled. */
  past: string;
}

const BAR_SIZE = 16;

/**
 * One frame of the bar, at most `columns` wide: `████░░ 40/120 rows | 12 rows/s | ETA 7s | 40 created, 0
 * failed | 429: waiting 0.8 s`. When it does not fit, the rate goes first, then the ETA, the counts and the
 * bar; what is left is cut at the width.
 */
export function fitLine(columns: number, value: number, total: number, payload: Payload): string {
  const filled = total > 0 ? Math.min(BAR_SIZE, Math.round((value / total) * BAR_SIZE)) : 0;
  const parts = {
    bar: `${'█'.repeat(filled)}${'░'.repeat(BAR_SIZE - filled)}`,
    rows: `${value}/${total} rows`,
    rate: `${payload.rate} rows/s`,
    eta: `ETA ${payload.timeLeft}`,
    counts: `${payload.created} ${payload.past}, ${payload.failed} failed`,
    wait: payload.wait,
  };
  const line = (keep: Set<string>) =>
    `${keep.has('bar') ? `${parts.bar} ` : ''}${(['rows', 'rate', 'eta', 'counts', 'wait'] as const).filter((part) => keep.has(part) && parts[part]).map((part) => parts[part]).join(' | ')}`;
  const keep = new Set(Object.keys(parts));
  for (const drop of ['rate', 'eta', 'counts', 'bar']) {
    if (line(keep).length <= columns) break;
    keep.delete(drop);
  }
  return line(keep).slice(0, Math.max(0, columns));
}

function barProgress(stream: NodeJS.WriteStream, past: string): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      // The ETA is ours, from the rate since the start (waits included): cli-progress's own shows "NULL"
      // or "INF" while batches land in bursts.
      // Never wider than the terminal: the least useful parts go first (see fitLine).
      format: (_options: unknown, params: { value: number; total: number }, payload: Payload) => fitLine(stream.columns || 80, params.value, params.total, payload),
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
  let started = false;
  const payload = () => {
    const left = waitUntil - Date.now();
    const rate = rateOf(last, startedAt, startDone);
    return { created: last.created, failed: last.failed, rate, timeLeft: eta(total - last.done, rate), wait: left > 0 ? `${tag} ${seconds(left)}` : '', past } satisfies Payload;
  };
  return {
    start(rows, counts) {
      started = true;
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
      if (started) bar.update(counts.done, payload());
    },
    waiting(ms, _why, short) {
      waitUntil = Date.now() + ms;
      tag = short;
      if (started) bar.update(last.done, payload());
    },
    stop() {
      if (!started) return; // nothing was read: nothing to show
      started = false;
      clearInterval(ticker);
      waitUntil = 0;
      bar.update(last.done, payload());
      bar.stop();
    },
  };
}

function lineProgress(stream: NodeJS.WriteStream, label: string, past: string): Progress {
  let total = 0;
  let startedAt = Date.now();
  let startDone = 0;
  let printedAt = 0;
  let last: Counts = { done: 0, created: 0, failed: 0 };
  let started = false;
  let waitUntil = 0;
  let waitWhy = '';
  /** The counts of the line printed last: the closing line is not printed twice. */
  let printed: Counts | undefined;
  const print = (counts: Counts) => {
    printedAt = Date.now();
    printed = counts;
    const of = total ? `/${total} rows (${Math.floor((counts.done / total) * 100)}%)` : ' rows';
    // A dry run creates nothing: its line counts only what failed the checks.
    const outcome = label === 'check' ? `failed ${counts.failed}` : `${past} ${counts.created}, failed ${counts.failed}`;
    stream.write(`${label}: ${counts.done}${of}, ${outcome}, ${rateOf(counts, startedAt, startDone)} rows/s\n`);
  };
  return {
    start(rows, counts) {
      started = true;
      total = rows;
      startedAt = Date.now();
      startDone = counts.done;
      last = counts;
      // No line yet: the first comes a second in, or at the end; a "0 rows" line tells nothing.
      printedAt = startedAt;
    },
    update(counts) {
      last = counts;
      if (started && Date.now() - printedAt >= 1000) print(counts);
    },
    waiting(ms, why) {
      // Requests in flight together wait together: one line for the wait, not one per request.
      if (Date.now() < waitUntil && why === waitWhy) return;
      waitUntil = Date.now() + ms;
      waitWhy = why;
      stream.write(`${label}: ${why}, waiting ${seconds(ms)}\n`);
    },
    stop() {
      if (!started) return; // nothing was read: no "0 rows" line before an error
      started = false;
      if (printed && printed.done === last.done && printed.created === last.created && printed.failed === last.failed) return;
      print(last);
    },
  };
}
