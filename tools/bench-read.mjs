// @ts-check
// `npm run bench`, after bench-cli.mjs: what reading the files admins really have costs the `techapi` bin (a
// child process, as a user runs it). The same 200,000 technicians (accented names) as three files: the UTF-8
// CSV (the floor), the Windows-1252 `;` CRLF CSV Excel saves in France, and an .xlsx written by exceljs with
// shared strings, as Excel stores text. Each is read with --dry-run and imported into a fresh sandbox
// (no rate limit, batches of 100); rounds interleave the three so that the machine's load hits them alike.
// Per run: wall time and peak RSS (the child's own maxRSS at exit). Each ratio is taken within a round, then
// the median of the rounds is printed with their range.
// Targets: the cp1252 CSV within 1.2x the UTF-8 CSV's time; the .xlsx under 400 MB peak RSS and within 3x
// the CSV's time; the UTF-8 import under 200 MB (docs/performance.md).
import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { repoRoot } from './apis.mjs';
import { median } from './bench-common.mjs';

const ROWS = Number(process.env.BENCH_READ_ROWS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_READ_ROUNDS ?? 3);
const bin = path.join(repoRoot, 'packages/cli/dist/cli.js');
const { startSandbox } = await import('@techapi/sandbox');
// exceljs is the CLI's dependency: resolved from its package.
const ExcelJS = createRequire(path.join(repoRoot, 'packages/cli/package.json'))('exceljs');
const KEY = 'bench-read-key';
const dir = mkdtempSync(path.join(tmpdir(), 'bench-read-'));
const rssProbe = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));",
)}`;

const FIRST = ['Hélène', 'François', 'Seán', 'Zoë', 'Noël', 'Agnès'];
const LAST = ['Dupré', 'Ça', "O'Brien", 'Åkesson', 'Lefèvre', 'Müller'];
/** @param {number} index */
const technician = (index) => [`bench${index}@example.com`, `${FIRST[index % 6]} ${LAST[(index >> 3) % 6]} ${index}`, 'support', 'fr', 'Europe/Paris'];
const HEADER = ['email', 'name', 'profile', 'language', 'timezone'];

/** Writes `lines` to `file` in `encoding`, streaming. @param {string} file @param {(index: number) => string} line @param {string} header @param {BufferEncoding} encoding */
async function textFile(file, header, line, encoding) {
  const out = createWriteStream(file);
  out.write(Buffer.from(header, encoding));
  for (let index = 0; index < ROWS; index++) if (!out.write(Buffer.from(line(index), encoding))) await once(out, 'drain');
  out.end();
  await once(out, 'close');
  return file;
}

async function files() {
  const utf8 = await textFile(path.join(dir, 'utf8.csv'), `${HEADER.join(',')}\n`, (index) => `${technician(index).join(',')}\n`, 'utf8');
  // Latin-1 bytes are Windows-1252's for every character used here.
  const cp1252 = await textFile(path.join(dir, 'cp1252.csv'), 'Adresse e-mail;Nom;Profil;Langue;Fuseau horaire\r\n', (index) => `${technician(index).join(';')}\r\n`, 'latin1');
  const xlsx = path.join(dir, 'technicians.xlsx');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsx, useSharedStrings: true });
  const sheet = workbook.addWorksheet('Techniciens');
  sheet.addRow(['Courriel', 'Nom', 'Profil', 'Langue', 'Fuseau horaire']).commit();
  for (let index = 0; index < ROWS; index++) sheet.addRow(technician(index)).commit();
  sheet.commit();
  await workbook.commit();
  return { 'UTF-8 CSV': utf8, 'cp1252 ; CSV': cp1252, '.xlsx': xlsx };
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

/** @param {string} file @param {boolean} dryRun */
async function run(file, dryRun) {
  const journal = path.join(dir, 'journal');
  const report = path.join(dir, 'report');
  rmSync(journal, { force: true });
  if (dryRun) return techapi(['take-control', 'import', file, '--dry-run', '--report', report]);
  const sandbox = await startSandbox({ apis: ['take-control'], port: 0, takeControl: { integrationKey: KEY } });
  try {
    return await techapi(['take-control', 'import', file, '--base-url', String(sandbox.urls['take-control']), '--batch-size', '100', '--journal', journal, '--report', report]);
  } finally {
    await sandbox.close();
  }
}

/** @param {number} value */
const fmt = (value) => value.toFixed(value < 10 ? 2 : 1);
/** @param {number[]} values */
const spread = (values) => `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`;
/** @type {[string, boolean][]} */
const targets = [];

try {
  const inputs = await files();
  console.log(`\n## techapi reading: ${ROWS.toLocaleString('en')} rows, ${ROUNDS} interleaved rounds (median, range)\n`);
  console.log('| file | MB | run | wall s | × UTF-8 CSV | peak RSS MB | rows ok |');
  console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: |');
  for (const dryRun of [true, false]) {
    /** @type {Record<string, { seconds: number[], rss: number[], ratio: number[], ok: number[] }>} */
    const figures = {};
    for (let round = 0; round < ROUNDS; round++) {
      let floor = NaN;
      for (const [label, file] of Object.entries(inputs)) {
        const result = await run(file, dryRun);
        if (label === 'UTF-8 CSV') floor = result.seconds;
        const entry = (figures[label] ??= { seconds: [], rss: [], ratio: [], ok: [] });
        entry.seconds.push(result.seconds);
        entry.rss.push(result.rssMb);
        entry.ratio.push(result.seconds / floor);
        entry.ok.push(dryRun ? result.summary.valid : result.summary.created);
      }
    }
    for (const [label, entry] of Object.entries(figures)) {
      const file = /** @type {string} */ (inputs[/** @type {keyof typeof inputs} */ (label)]);
      const mb = statSync(file).size / 2 ** 20;
      console.log(`| ${label} | ${fmt(mb)} | ${dryRun ? '--dry-run' : 'import'} | ${spread(entry.seconds)} | ${spread(entry.ratio)} | ${spread(entry.rss)} | ${Math.min(...entry.ok)} |`);
      const run = dryRun ? 'dry run' : 'import';
      targets.push([`${label} ${run}: every row ${dryRun ? 'valid' : 'created'} (${Math.min(...entry.ok)} of ${ROWS})`, Math.min(...entry.ok) === ROWS]);
      if (label === 'cp1252 ; CSV') targets.push([`cp1252 CSV ${run}: ${fmt(median(entry.ratio))}x the UTF-8 CSV's time (target <= 1.2x)`, median(entry.ratio) <= 1.2]);
      if (label === '.xlsx') {
        targets.push([`.xlsx ${run}: ${fmt(median(entry.ratio))}x the UTF-8 CSV's time (target <= 3x)`, median(entry.ratio) <= 3]);
        targets.push([`.xlsx ${run}: peak RSS ${fmt(Math.max(...entry.rss))} MB at most (target < 400)`, Math.max(...entry.rss) < 400]);
      }
      if (label === 'UTF-8 CSV' && !dryRun) targets.push([`UTF-8 CSV import: peak RSS ${fmt(Math.max(...entry.rss))} MB at most (target <= 200)`, Math.max(...entry.rss) <= 200]);
    }
  }
  console.log('\nTargets:');
  for (const [label, met] of targets) console.log(`  ${met ? 'met   ' : 'MISSED'} ${label}`);
  if (targets.some(([, met]) => !met)) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
