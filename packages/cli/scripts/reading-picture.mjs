// @ts-check
// Draws the picture of the first lines of an import for the docs (tools/docs/cli-reading.png): the built bin
// imports Excel's French CSV (src/read/fixtures/excel-fr.csv: Windows-1252, `;`, a split name, an extra
// column, one bad email) into the sandbox under a real pseudo-terminal (`script`, 100 columns); the ANSI
// stream is replayed into a headless terminal (@xterm/headless) and the final screen is screenshotted with
// Debian's chromium (playwright-core), as scripts/progress-picture.mjs draws the progress display.
// Run after `npm run build`: node packages/cli/scripts/reading-picture.mjs
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
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
const ROWS = 16;

/** @param {string} text */
const escape = (text) => text.replace(/[&<>]/g, (character) => `&#${character.charCodeAt(0)};`);

const dir = mkdtempSync(join(tmpdir(), 'cli-reading-picture-'));
const sandbox = await startSandbox({ apis: ['take-control'], port: 0 });
try {
  copyFileSync(join(here, '../src/read/fixtures/excel-fr.csv'), join(dir, 'equipe.csv'));
  const command = `stty cols ${COLUMNS} rows 30; cd '${dir}'; TAKE_CONTROL_KEY=your-private-key '${process.execPath}' '${bin}' take-control import equipe.csv --base-url '${sandbox.urls['take-control']}'`;
  // The import exits 1 (one row has a bad email): its output is what matters.
  /** @type {string} */
  const ansi = await new Promise((resolve) => execFile('script', ['-qfec', command, '/dev/null'], { maxBuffer: 16 * 1024 * 1024 }, (_error, stdout) => resolve(stdout)));
  const terminal = new xterm.Terminal({ cols: COLUMNS, rows: ROWS, allowProposedApi: true });
  const prompt = '$ TAKE_CONTROL_KEY=... techapi take-control import equipe.csv\r\n';
  await new Promise((resolve) => terminal.write(prompt + ansi, () => resolve(undefined)));
  const lines = [];
  for (let index = 0; index < ROWS; index++) lines.push(terminal.buffer.active.getLine(index)?.translateToString(true) ?? '');
  while (lines.length > 0 && !lines.at(-1)) lines.pop();
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
    body { margin: 0; background: #1e1e2e; }
    pre { margin: 0; padding: 16px 20px; color: #e6e6e6; font: 15px/1.45 "DejaVu Sans Mono", monospace; white-space: pre; width: ${COLUMNS}ch; }
    .prompt { color: #8bd5ca; }
  </style></head><body><pre>${lines.map((line) => (line.startsWith('$ ') ? `<span class="prompt">${escape(line)}</span>` : escape(line))).join('\n')}</pre></body></html>`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 100 }, deviceScaleFactor: 2 });
    await page.setContent(html);
    await page.locator('pre').screenshot({ path: join(docs, 'cli-reading.png') });
    const box = await page.locator('pre').boundingBox();
    console.log(`tools/docs/cli-reading.png (${Math.round(box?.width ?? 0)}x${Math.round(box?.height ?? 0)} CSS pixels):\n${lines.join('\n')}`);
  } finally {
    await browser.close();
  }
} finally {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
}
