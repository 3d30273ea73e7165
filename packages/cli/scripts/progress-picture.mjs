// @ts-check
// Draws the pictures of the progress display for the docs: runs the built bin under a real pseudo-terminal
// (`script`, 100 columns) importing 3,000 rows into a rate-limited sandbox, replays the captured ANSI
// stream into a headless terminal (@xterm/headless), and screenshots the screen with Debian's chromium
// (playwright-core): tools/docs/cli-progress.png at a moment when a 429's wait is on screen,
// tools/docs/cli-summary.png at the end. Run after `npm run build`: node packages/cli/scripts/progress-picture.mjs
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '@techapi/sandbox';
import xterm from '@xterm/headless';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '../dist/cli.js');
const docs = join(here, '../../../tools/docs');
const COLUMNS = 100;
const ROWS = 3000;

/**
 * The screen after `ansi`, as text lines (trailing empty ones dropped).
 * @param {string} ansi @param {number} rows
 */
async function screen(ansi, rows) {
  const terminal = new xterm.Terminal({ cols: COLUMNS, rows, allowProposedApi: true });
  await new Promise((resolve) => terminal.write(ansi, () => resolve(undefined)));
  const lines = [];
  for (let index = 0; index < rows; index++) lines.push(terminal.buffer.active.getLine(index)?.translateToString(true) ?? '');
  while (lines.length > 0 && !lines.at(-1)) lines.pop();
  return lines;
}

/** @param {string} text */
const escape = (text) => text.replace(/[&<>]/g, (character) => `&#${character.charCodeAt(0)};`);

/** @param {import('playwright-core').Browser} browser @param {string[]} lines @param {string} file */
async function picture(browser, lines, file) {
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
    body { margin: 0; background: #1e1e2e; }
    pre { margin: 0; padding: 16px 20px; color: #e6e6e6; font: 15px/1.45 "DejaVu Sans Mono", monospace; white-space: pre; width: ${COLUMNS}ch; }
    .prompt { color: #8bd5ca; }
  </style></head><body><pre>${lines.map((line) => (line.startsWith('$ ') ? `<span class="prompt">${escape(line)}</span>` : escape(line))).join('\n')}</pre></body></html>`;
  const page = await browser.newPage({ viewport: { width: 1100, height: 100 }, deviceScaleFactor: 2 });
  await page.setContent(html);
  await page.locator('pre').screenshot({ path: join(docs, file) });
  await page.close();
  console.log(`tools/docs/${file}:\n${lines.join('\n')}\n`);
}

const dir = mkdtempSync(join(tmpdir(), 'cli-picture-'));
const sandbox = await startSandbox({ apis: ['take-control'], port: 0, rateLimit: 5, latencyMs: 20 });
try {
  const rows = ['email,name,profile'];
  for (let index = 0; index < ROWS; index++) rows.push(`tech${index}@example.com,Technician ${index},support`);
  rows[41] = 'not-an-email,Bad Row,support';
  writeFileSync(join(dir, 'technicians.csv'), `${rows.join('\n')}\n`);
  sandbox.seed('take-control', { technicians: [{ email: 'tech7@example.com', name: 'Already There' }] });
  const command = `stty cols ${COLUMNS} rows 30; cd '${dir}'; TAKE_CONTROL_KEY=your-private-key '${process.execPath}' '${bin}' take-control import technicians.csv --base-url '${sandbox.urls['take-control']}'`;
  // The import exits 1 (one row is invalid, one already exists): its output is what matters.
  /** @type {string} */
  const ansi = await new Promise((resolve) => execFile('script', ['-qfec', command, '/dev/null'], { maxBuffer: 64 * 1024 * 1024 }, (_error, stdout) => resolve(stdout)));

  // The moment to show: the last redraw with a wait on screen before two thirds of the rows are done.
  const doneAt = (/** @type {number} */ index) => Number(/(\d+)\/\d+ rows/.exec(ansi.slice(ansi.lastIndexOf('\x1b[1G', index)))?.[1]);
  const wait = [...ansi.matchAll(/429: waiting [^\r\n\x1b]*/g)].findLast((match) => doneAt(match.index ?? 0) < (ROWS * 2) / 3 && /waiting (0\.[5-9]|1\.)/.test(match[0]));
  const cut = wait ? (wait.index ?? 0) + wait[0].length : ansi.length;
  const prompt = '$ TAKE_CONTROL_KEY=... techapi take-control import technicians.csv\r\n';
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  try {
    await picture(browser, await screen(prompt + ansi.slice(0, cut), 4), 'cli-progress.png');
    await picture(browser, await screen(prompt + ansi, 12), 'cli-summary.png');
  } finally {
    await browser.close();
  }
} finally {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
}
