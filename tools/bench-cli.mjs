// @ts-check
// `npm run bench` (after the client figures): what the `techapi` CLI costs, run as a user runs it (the
// built bin, a child process) against the stateful sandbox (@techapi/sandbox), in this process.
// - 10,000 rows with the sandbox's rate limit at 5 requests/s and batches of 100: 100 requests, so the
//   limit alone allows 20 s; the wall time is compared with that (target <= 1.05x, with the journal flushed
//   to disk before each request).
// - 2,000 technicians disabled from a file (`disable --file`) with the sandbox's limit at 50 requests/s: one
//   PUT each, several in flight, so the limit allows 40 s (target <= 1.1x).
// - 200,000 rows of CSV, with --dry-run and with a real import: the CLI's peak RSS (target <= 200 MB),
//   read from the child's own resourceUsage() at exit, and its rows/s.
// The sandbox shares the machine with the CLI (and, here, with other work): figures are noisy.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './apis.mjs';

const bin = path.join(repoRoot, 'packages/cli/dist/cli.js');
const { startSandbox } = await import('@techapi/sandbox');
const KEY = 'bench-cli-key';
const dir = mkdtempSync(path.join(tmpdir(), 'bench-cli-'));
/** Loaded into the child before the CLI: writes its peak RSS (bytes) to a file as it exits. */
const rssProbe = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));",
)}`;

/** @param {string} name @param {number} rows */
function csvFile(name, rows) {
  const file = path.join(dir, name);
  const lines = ['email,name,profile,language,timezone'];
  for (let index = 0; index < rows; index++) lines.push(`bench${index}@example.com,Bench Technician ${index},support,en,Europe/Lisbon`);
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

try {
  console.log('\n## techapi take-control import (the CLI, against @techapi/sandbox)\n');
  console.log('| run | rows | created | wall s | rows/s | peak RSS MB |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  /** @param {string} label @param {{ summary: any, seconds: number, rssMb: number }} run */
  const row = (label, run) =>
    console.log(`| ${label} | ${run.summary.total} | ${run.summary.created} | ${fmt(run.seconds)} | ${Math.round(run.summary.total / run.seconds)} | ${fmt(run.rssMb)} |`);

  {
    const sandbox = await startSandbox({ apis: ['take-control'], port: 0, rateLimit: 5, takeControl: { integrationKey: KEY } });
    try {
      const file = csvFile('limited.csv', 10_000);
      const run = await techapi(['take-control', 'import', file, '--base-url', String(sandbox.urls['take-control']), '--batch-size', '100']);
      row('10,000 rows, rate limit 5/s, batches of 100', run);
      const allowed = 10_000 / 100 / 5;
      targets.push([`rate-limited import: ${fmt(run.seconds)} s for the ${allowed} s the limit allows, ${fmt(run.seconds / allowed)}x (target <= 1.05x)`, run.seconds <= allowed * 1.05]);
      targets.push([`rate-limited import: every row created (${run.summary.created} of 10000)`, run.summary.created === 10_000]);
    } finally {
      await sandbox.close();
    }
  }

  {
    const count = 2000;
    const technicians = Array.from({ length: count }, (_, index) => ({ email: `leaver${index}@example.com`, name: `Leaver ${index}` }));
    const sandbox = await startSandbox({ apis: ['take-control'], port: 0, rateLimit: 50, takeControl: { integrationKey: KEY } });
    sandbox.seed('take-control', { technicians });
    try {
      const file = path.join(dir, 'leavers.csv');
      writeFileSync(file, `email\n${technicians.map((technician) => technician.email).join('\n')}\n`);
      const run = await techapi(['take-control', 'disable', '--file', file, '--base-url', String(sandbox.urls['take-control'])]);
      row(`${count.toLocaleString('en-US')} technicians, disable --file, rate limit 50/s`, { ...run, summary: { ...run.summary, created: run.summary.disabled } });
      const allowed = count / 50;
      targets.push([`bulk disable: ${fmt(run.seconds)} s for the ${allowed} s the limit allows, ${fmt(run.seconds / allowed)}x (target <= 1.1x)`, run.seconds <= allowed * 1.1]);
      const disabled = (sandbox.state()['take-control']?.technicians ?? []).filter((technician) => technician.status === 'disabled').length;
      targets.push([`bulk disable: every technician disabled (${disabled} of ${count})`, disabled === count && run.summary.disabled === count]);
    } finally {
      await sandbox.close();
    }
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
