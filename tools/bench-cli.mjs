// @ts-check
// `npm run bench` (after the client figures): what the `techapi` CLI costs, run as a user runs it (the
// built bin, a child process) against the stateful sandbox (@techapi/sandbox), in this process.
// - 10,000 rows with the sandbox's rate limit at 5 requests/s and batches of 100: 100 requests, so the
//   limit alone allows 20 s; the wall time, median of 3 rounds, is compared with that (target <= 1.05x, with
//   the journal flushed to disk before each request), and with a bare client's sending the same requests
//   against the same limit in the same round (what the CLI itself costs).
// - 2,000 technicians disabled from a file (`disable --file`) with the sandbox's limit at 50 requests/s: one
//   PUT each, several in flight, so the limit allows 40 s (target <= 1.1x of that), median of 2 rounds,
//   beside the bare client's time.
// - 200,000 rows of CSV, with --dry-run and with a real import: the CLI's peak RSS (target <= 200 MB),
//   read from the child's own resourceUsage() at exit, and its rows/s.
// The sandbox shares the machine with the CLI (and, here, with other work): figures are noisy.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './apis.mjs';
import { median } from './bench-common.mjs';

const bin = path.join(repoRoot, 'packages/cli/dist/cli.js');
const { startSandbox } = await import('@techapi/sandbox');
const KEY = 'bench-cli-key';
const dir = mkdtempSync(path.join(tmpdir(), 'bench-cli-'));
/** Loaded into the child before the CLI: writes its peak RSS (bytes) to a file as it exits. */
const rssProbe = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));",
)}`;

/** The technicians of the bench files, as the bare client sends them and the CSV holds them. @param {number} rows */
const benchTechnicians = (rows) =>
  Array.from({ length: rows }, (_, index) => ({ email: `bench${index}@example.com`, name: `Bench Technician ${index}`, profile: 'support', language: 'en', timezone: 'Europe/Lisbon' }));

/** @param {string} name @param {number} rows */
function csvFile(name, rows) {
  const file = path.join(dir, name);
  const lines = ['email,name,profile,language,timezone', ...benchTechnicians(rows).map((technician) => Object.values(technician).join(','))];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * Runs the CLI to the end; resolves with its summary (--json), wall time and peak RSS.
 * @param {string[]} args
 * @returns {Promise<{ summary: any, seconds: number, rssMb: number }>}
 */
function techapi(args) {
  const rssFile = path.join(dir, 'rss');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', rssProbe, bin, ...args, '--json'],
      { env: { ...process.env, TAKE_CONTROL_KEY: KEY, BENCH_RSS_FILE: rssFile }, maxBuffer: 16 * 1024 * 1024, timeout: 900_000 },
      (error, stdout, stderr) => {
        const seconds = (performance.now() - started) / 1000;
        if (error && !stdout) return reject(new Error(`techapi ${args.join(' ')} failed: ${stderr.slice(-2000)}`));
        resolve({ summary: JSON.parse(stdout), seconds, rssMb: Number(readFileSync(rssFile, 'utf8')) / 2 ** 20 });
      },
    );
  });
}

/** @param {number} value */
const fmt = (value) => value.toFixed(value < 10 ? 2 : 1);
/** @type {[string, boolean][]} */
const targets = [];

/** Rounds of the rate-limited runs: each takes the limit's time (20 s, 40 s) twice, CLI and bare client. */
const RATE_ROUNDS = 3;
const STATUS_ROUNDS = 2;

/**
 * A copy of `file` in a folder of its own for this round: a run's journal goes beside its input, and the
 * next round must not resume from it.
 * @param {string} file @param {number} round
 */
function fresh(file, round) {
  const folder = path.join(dir, `round-${round}-${path.basename(file, '.csv')}`);
  mkdirSync(folder, { recursive: true });
  const copy = path.join(folder, path.basename(file));
  copyFileSync(file, copy);
  return copy;
}

/**
 * Runs `use` against a fresh Take Control sandbox (`technicians` seeded), then closes it.
 * @template T @param {{ rateLimit: number, technicians?: Array<{ email: string, name: string }> }} options
 * @param {(url: string, sandbox: Awaited<ReturnType<typeof startSandbox>>) => Promise<T>} use @returns {Promise<T>}
 */
async function withSandbox({ rateLimit, technicians }, use) {
  const sandbox = await startSandbox({ apis: ['take-control'], port: 0, rateLimit, takeControl: { integrationKey: KEY } });
  if (technicians) sandbox.seed('take-control', { technicians });
  try {
    return await use(String(sandbox.urls['take-control']), sandbox);
  } finally {
    await sandbox.close();
  }
}

/**
 * The floor: the requests sent with undici's request(), `inFlight` at a time, every 429 waited out (all
 * requests pausing together, as the CLI does) and the request sent again. Resolves with the seconds it took.
 * @param {Array<{ method: 'POST' | 'PUT', path: string, body: string }>} requests @param {string} url @param {number} inFlight
 */
async function bareClient(requests, url, inFlight) {
  const { request } = await import('undici');
  const headers = { authorization: `INTEGRATION-KEY ${KEY}`, 'content-type': 'application/json' };
  let next = 0;
  let pausedUntil = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < requests.length) {
      const { method, path: pathname, body } = /** @type {{ method: 'POST' | 'PUT', path: string, body: string }} */ (requests[next++]);
      for (;;) {
        const pause = pausedUntil - Date.now();
        if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
        const response = await request(`${url}${pathname}`, { method, headers, body });
        await response.body.text();
        if (response.statusCode === 429) {
          pausedUntil = Math.max(pausedUntil, Date.now() + Number(response.headers['retry-after']) * 1000);
          continue;
        }
        if (response.statusCode !== 200) throw new Error(`bare client: ${method} ${pathname} answered ${response.statusCode}`);
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return (performance.now() - started) / 1000;
}

/** @param {string} label @param {number[]} cli @param {number[]} bare @param {number} allowed */
function rateLine(label, cli, bare, allowed) {
  const list = (/** @type {number[]} */ values) => values.map((value) => fmt(value)).join(', ');
  console.log(
    `\n${label}: the CLI took ${list(cli)} s; a bare client ${list(bare)} s; the limit allows ${allowed} s. ` +
      `CLI / bare client per round: ${cli.map((seconds, round) => fmt(seconds / (bare[round] ?? NaN))).join(', ')}. ` +
      'The phase of the one-second windows at the start moves either by up to a second.',
  );
}

try {
  console.log('\n## techapi take-control import (the CLI, against @techapi/sandbox)\n');
  console.log('| run | rows | created | wall s | rows/s | peak RSS MB |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  /** @param {string} label @param {{ summary: any, seconds: number, rssMb: number }} run */
  const row = (label, run) =>
    console.log(`| ${label} | ${run.summary.total} | ${run.summary.created} | ${fmt(run.seconds)} | ${Math.round(run.summary.total / run.seconds)} | ${fmt(run.rssMb)} |`);

  // The rate-limited runs, each against a fresh sandbox, round by round beside a bare client (undici's
  // request() in a loop, waiting out each 429's Retry-After as the CLI does) doing the same requests: the
  // floor of what the limit allows here, whatever the phase of its one-second windows when a run starts.
  {
    const rows = 10_000;
    const file = csvFile('limited.csv', rows);
    const technicians = benchTechnicians(rows);
    const bodies = Array.from({ length: rows / 100 }, (_, index) => JSON.stringify(technicians.slice(index * 100, index * 100 + 100)));
    /** @type {number[]} */ const cli = [];
    /** @type {number[]} */ const bare = [];
    let created = 0;
    for (let round = 0; round < RATE_ROUNDS; round++) {
      const floor = await withSandbox({ rateLimit: 5 }, (url) => bareClient(bodies.map((body) => ({ method: /** @type {const} */ ('POST'), path: '/tech/bulk', body })), url, 1));
      bare.push(floor);
      const run = await withSandbox({ rateLimit: 5 }, (url) => techapi(['take-control', 'import', fresh(file, round), '--base-url', url, '--batch-size', '100']));
      cli.push(run.seconds);
      created = run.summary.created;
      if (round === RATE_ROUNDS - 1) row('10,000 rows, rate limit 5/s, batches of 100 (last round)', run);
    }
    const allowed = rows / 100 / 5;
    rateLine('rate-limited import (10,000 rows, 100 requests at 5/s)', cli, bare, allowed);
    const seconds = median(cli);
    const overBare = median(cli.map((time, round) => time / (bare[round] ?? NaN)));
    targets.push([
      `rate-limited import: ${fmt(seconds)} s for the ${allowed} s the limit allows, ${fmt(seconds / allowed)}x, median of ${RATE_ROUNDS} rounds (target <= 1.05x; ` +
        `${fmt(overBare)}x the bare client's time, the CLI's own cost)`,
      seconds <= allowed * 1.05,
    ]);
    targets.push([`rate-limited import: every row created (${created} of ${rows})`, created === rows]);
  }

  {
    const count = 2000;
    const technicians = Array.from({ length: count }, (_, index) => ({ email: `leaver${index}@example.com`, name: `Leaver ${index}` }));
    const file = path.join(dir, 'leavers.csv');
    writeFileSync(file, `email\n${technicians.map((technician) => technician.email).join('\n')}\n`);
    const puts = technicians.map((technician) => ({ method: /** @type {const} */ ('PUT'), path: `/tech/${encodeURIComponent(technician.email)}`, body: '{"status":"disabled"}' }));
    /** @type {number[]} */ const cli = [];
    /** @type {number[]} */ const bare = [];
    let disabled = 0;
    let summarized = 0;
    for (let round = 0; round < STATUS_ROUNDS; round++) {
      bare.push(await withSandbox({ rateLimit: 50, technicians }, (url) => bareClient(puts, url, 8)));
      const run = await withSandbox({ rateLimit: 50, technicians }, async (url, sandbox) => {
        const result = await techapi(['take-control', 'disable', '--file', fresh(file, round), '--base-url', url]);
        disabled = (sandbox.state()['take-control']?.technicians ?? []).filter((technician) => technician.status === 'disabled').length;
        return result;
      });
      cli.push(run.seconds);
      summarized = run.summary.disabled;
      if (round === STATUS_ROUNDS - 1) row(`${count.toLocaleString('en-US')} technicians, disable --file, rate limit 50/s (last round)`, { ...run, summary: { ...run.summary, created: run.summary.disabled } });
    }
    const allowed = count / 50;
    rateLine('bulk disable (2,000 PUTs at 50/s, 8 in flight)', cli, bare, allowed);
    const seconds = median(cli);
    targets.push([`bulk disable: ${fmt(seconds)} s for the ${allowed} s the limit allows, ${fmt(seconds / allowed)}x, median of ${STATUS_ROUNDS} rounds (target <= 1.1x)`, seconds <= allowed * 1.1]);
    targets.push([`bulk disable: every technician disabled (${disabled} of ${count})`, disabled === count && summarized === count]);
  }

  {
    const file = csvFile('large.csv', 200_000);
    const size = statSync(file).size / 2 ** 20;
    const dry = await techapi(['take-control', 'import', file, '--dry-run']);
    row(`200,000 rows (${fmt(size)} MB CSV), --dry-run`, dry);
    targets.push([`200,000-row --dry-run: peak RSS ${fmt(dry.rssMb)} MB (target <= 200)`, dry.rssMb <= 200]);

    const sandbox = await startSandbox({ apis: ['take-control'], port: 0, takeControl: { integrationKey: KEY } });
    try {
      const run = await techapi(['take-control', 'import', file, '--base-url', String(sandbox.urls['take-control']), '--batch-size', '100']);
      row('200,000 rows, import, batches of 100', run);
      targets.push([`200,000-row import: peak RSS ${fmt(run.rssMb)} MB (target <= 200)`, run.rssMb <= 200]);
      targets.push([`200,000-row import: every row created (${run.summary.created} of 200000)`, run.summary.created === 200_000]);
    } finally {
      await sandbox.close();
    }
  }

  console.log('\nTargets:');
  for (const [label, met] of targets) console.log(`  ${met ? 'met   ' : 'MISSED'} ${label}`);
  if (targets.some(([, met]) => !met)) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
