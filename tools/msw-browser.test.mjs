// @ts-check
// The sandbox's MSW handlers in a real browser: esbuild bundles a page (tools/testing/browser/) with the Take
// Control client's portable entry and @techapi/sandbox/msw, both as built (`npm run build`), and msw's
// browser entry; a static server on 127.0.0.1 serves it with msw's mockServiceWorker.js; Debian's chromium,
// driven by playwright-core, opens it. The worker answers at the spec's production URL: nothing leaves the
// browser. The page creates a technician, gets the 409 for the duplicate, and shows both; then the technicien
// update, which a browser cannot send (a GET with a body), ends as `unsupported` without a request.
// Skipped only where /usr/bin/chromium is absent outside CI; in CI (CI set) its absence fails.
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './apis.mjs';
import { startStaticServer } from './static-server.mjs';
import { launchChromium, skipWithoutChromium } from './testing/chromium.mjs';

const skip = skipWithoutChromium('tools/msw-browser.test.mjs');

const PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Take Control against the sandbox in MSW</title><link rel="icon" href="data:,"></head>
  <body><h1>Take Control, sandbox in a service worker</h1><ul id="log"></ul><script type="module" src="/app.js"></script></body>
</html>
`;

describe.skipIf(skip)('the sandbox in a service worker (setupWorker), in chromium', () => {
  const root = mkdtempSync(join(tmpdir(), 'msw-page-'));
  /** @type {import('./static-server.mjs').StaticServer} */
  let server;
  /** @type {import('playwright-core').Browser} */
  let browser;

  beforeAll(async () => {
    for (const pkg of ['sandbox', 'take-control', 'technicien']) {
      if (!existsSync(join(repoRoot, 'packages', pkg, 'dist'))) throw new Error(`packages/${pkg}/dist is missing: run \`npm run build\` first`);
    }
    await build({
      entryPoints: [join(repoRoot, 'tools/testing/browser/take-control-msw-page.js')],
      outfile: join(root, 'app.js'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'error',
    });
    const msw = dirname(createRequire(import.meta.url).resolve('msw/package.json'));
    copyFileSync(join(msw, 'lib/mockServiceWorker.js'), join(root, 'mockServiceWorker.js'));
    writeFileSync(join(root, 'index.html'), PAGE);
    server = await startStaticServer({ root });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('creates a technician, then gets the 409 for the duplicate, and the page shows both; the update is unsupported', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    /** @type {string[]} */
    const problems = [];
    /** @type {string[]} */
    const apiCalls = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(`console error: ${message.text()}`));
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`failed request: ${request.url()} (${request.failure()?.errorText})`));
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.origin === server.url) return;
      // Anything not for the page's own server must have been answered by the worker, never the network.
      apiCalls.push(`${response.request().method()} ${url.href} ${response.status()} ${response.fromServiceWorker() ? 'from the worker' : 'FROM THE NETWORK'}`);
    });
    try {
      await page.goto(`${server.url}/index.html`);
      await page.waitForSelector('body[data-done="true"]', { timeout: 20_000 });
      const lines = await page.locator('#log li').allInnerTexts();
      // Chromium logs every 4xx it receives; the 409 is the one this page asks for.
      expect(problems).toEqual(['console error: Failed to load resource: the server responded with a status of 409 (Conflict)']);
      expect(lines).toEqual([
        'created john.doe@example.com: 200 SUCCESS',
        '409 Email already exists',
        'stored: john.doe@example.com',
        'updateTechnicien: unsupported',
      ]);
      expect(apiCalls).toEqual([
        'POST https://api.us0.swi-rc.com/rest/tech 200 from the worker',
        'POST https://api.us0.swi-rc.com/rest/tech 409 from the worker',
      ]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
