// @ts-check
// The published docs (dist/docs, built by `npm run build`) in a real browser: Debian's chromium driven by
// playwright-core loads each page from a local static server and fails on any console error, failed
// request or request to another origin. The index must state each spec's version and its packages', and
// each of its operation rows must open that operation's section of the reference. Each reference must
// show every operation of its spec with its TypeScript and curl samples, and French text intact.
// Screenshots land in dist/docs/screens/.
// Skipped only where /usr/bin/chromium is absent outside CI; in CI (CI set) its absence fails.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listApis, repoRoot } from './apis.mjs';
import { curlSample, readTypeScriptExamples } from './docs/code-samples.mjs';
import { listPublishedPackages, specsOf } from './packages.mjs';
import { startStaticServer } from './static-server.mjs';
import { launchChromium, skipWithoutChromium } from './testing/chromium.mjs';
import { loadSpec, specOperations } from './testing/spec.mjs';

const docsDir = join(repoRoot, 'dist/docs');
const screensDir = join(docsDir, 'screens');
const skip = skipWithoutChromium('tools/docs.test.mjs');

/** Collapses whitespace: code blocks and paragraphs wrap and indent differently on the page. @param {string} text */
const squash = (text) => text.replace(/\s+/g, ' ').trim();

/**
 * Records everything that must not happen on a page: console errors, uncaught exceptions, failed requests,
 * error statuses and requests to any origin but the server's (data: and same-origin blob: URLs are local).
 * @param {import('playwright-core').Page} page @param {string} origin @returns {string[]}
 */
function watchProblems(page, origin) {
  /** @type {string[]} */
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:')) return;
    const requestOrigin = url.startsWith('blob:') ? new URL(url.slice('blob:'.length)).origin : new URL(url).origin;
    if (requestOrigin !== origin) problems.push(`request to another origin: ${url}`);
  });
  page.on('requestfailed', (request) => problems.push(`failed request: ${request.url()} (${request.failure()?.errorText})`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

/** @param {import('playwright-core').Page} page */
const pageText = async (page) => squash(await page.evaluate(() => document.body.innerText));

/**
 * Opens an operation as a reader does: its tag in the sidebar (Redoc 3 expands one tag at a time, by route),
 * then the operation's entry, which scrolls it into view and renders it (Redoc renders lazily). Resolves
 * with the page's text once every text of `expected` is on it.
 * @param {import('playwright-core').Page} page @param {any} operation @param {string[]} expected
 */
async function openOperation(page, operation, expected) {
  const entry = page.getByRole('link', { name: operation.summary ?? operation.operationId }).first();
  if (!(await entry.isVisible())) {
    await page.getByRole('link', { name: operation.tags?.[0], exact: true }).first().click();
    await scrollSettled(page);
  }
  await entry.click();
  await scrollSettled(page);
  let text = '';
  await expect
    .poll(async () => (text = await pageText(page)), { timeout: 10_000 })
    .toSatisfy((/** @type {string} */ seen) => expected.every((part) => seen.includes(squash(part))));
  return text;
}

/** Waits for Redoc's scrolling to end: its scroll-spy changes the route, and so what is expanded. @param {import('playwright-core').Page} page */
async function scrollSettled(page) {
  let last = -1;
  for (let check = 0; check < 50; check++) {
    const position = await page.evaluate(() => window.scrollY);
    if (position === last) return;
    last = position;
    await page.waitForTimeout(150);
  }
}

/** A full-page screenshot with every part rendered: the viewport is made as tall as the page. @param {import('playwright-core').Page} page @param {string} file */
async function screenshot(page, file) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1280, height: Math.min(height, 16_000) });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(screensDir, file), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe.skipIf(skip)('published docs in chromium', () => {
  /** @type {import('./static-server.mjs').StaticServer} */
  let server;
  /** @type {import('playwright-core').Browser} */
  let browser;

  beforeAll(async () => {
    if (!existsSync(join(docsDir, 'index.html'))) throw new Error('dist/docs/index.html is missing: run `npm run build` first');
    mkdirSync(screensDir, { recursive: true });
    server = await startStaticServer({ root: docsDir });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /**
   * Opens `path` as a first visit (a context of its own: Redoc keeps choices such as the sample language in
   * localStorage), runs `check`, then fails on any problem the page had; when `check` fails first, its error
   * lists them too, since they are usually the cause.
   * @param {string} path @param {(page: import('playwright-core').Page) => Promise<void>} check
   */
  async function visit(path, check) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems = watchProblems(page, server.url);
    try {
      await page.goto(`${server.url}/${path}`, { waitUntil: 'networkidle' });
      await check(page);
    } catch (error) {
      if (problems.length > 0 && error instanceof Error) error.message += `\nProblems on the page:\n- ${problems.join('\n- ')}`;
      throw error;
    } finally {
      await context.close();
    }
    expect(problems).toEqual([]);
  }

  it('index.html names every API with its spec version and the packages implementing it, its quick start, and every link on it works', async () => {
    await visit('index.html', async (page) => {
      const text = await pageText(page);
      for (const api of listApis()) {
        const { info } = loadSpec(api.name);
        expect(text).toContain(squash(`${info.title} spec ${info.version}`));
        const implementing = listPublishedPackages().filter((pkg) => specsOf(pkg).includes(api.name));
        expect(implementing.map((pkg) => pkg.name)).toContain(`@techapi/${api.name}`);
        const packages = implementing.map((pkg) => `${pkg.name} ${pkg.version === '0.0.0' ? '(not on npm until its first release)' : `${pkg.version} on npm`}`);
        expect(text).toContain(squash(`Spec ${info.version}, implemented by ${packages.join(', ')}.`));
      }
      expect(text).toContain('npm ci && npm run build');
      expect(text).toContain('npm test');

      const links = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((link) => /** @type {HTMLAnchorElement} */ (link).href));
      const expected = listApis().flatMap((api) => [`${api.name}.html`, `specs/${api.name}.yaml`, `specs/${api.name}.json`]);
      expect(links).toEqual(expect.arrayContaining(expected.map((path) => `${server.url}/${path}`)));
      for (const link of links) {
        const response = await page.request.get(link);
        expect.soft(response.status(), link).toBe(200);
      }
      await screenshot(page, 'index.png');
    });
  }, 60_000);

  it("each operation row of index.html opens that operation's own section of its reference", async () => {
    await visit('index.html', async (page) => {
      const rows = await page.evaluate(() =>
        [...document.querySelectorAll('ul.operations a')].map((link) => ({ href: link.getAttribute('href') ?? '', text: link.textContent ?? '' })),
      );
      const operations = listApis().flatMap((api) => specOperations(loadSpec(api.name)).map((ref) => ({ api, ...ref })));
      expect(rows).toHaveLength(operations.length);
      for (const [index, { api, method, path, operation }] of operations.entries()) {
        const row = rows[index];
        expect(squash(row?.text ?? '')).toBe(squash(`${method.toUpperCase()} ${path} ${operation.summary ?? operation.operationId}`));
        expect(row?.href.startsWith(`${api.name}.html#/`), row?.href).toBe(true);

        // Follow the row as a reader does, from the index.
        await page.goto(`${server.url}/index.html`, { waitUntil: 'networkidle' });
        await page.locator('ul.operations a').nth(index).click();
        await page.waitForURL(`${server.url}/${row?.href}`);
        await scrollSettled(page);
        const route = decodeURIComponent(new URL(page.url()).hash.slice('#/'.length));
        // Redoc's own sidebar links to this operation with the same route: the anchor is the page's, not a guess.
        await expect.poll(() => page.locator(`a[href="#/${route}"]`).first().textContent()).toContain(operation.summary);
        const landed = await page.evaluate((id) => {
          const section = document.getElementById(id);
          return { top: section?.getBoundingClientRect().top, heading: section?.querySelector('h1, h2, h3')?.textContent };
        }, route);
        expect(landed.heading, row?.href).toBe(operation.summary);
        expect(landed.top, `${row?.href}: the section is scrolled to the top of the window`).toBeGreaterThanOrEqual(-2);
        expect(landed.top).toBeLessThan(150);
        expect(await pageText(page)).not.toContain('No page at this address'); // Redoc's page for an unknown route
      }
    });
  }, 120_000);

  it('sandbox.html shows the sandbox, its credentials and its test-suite example, and its links work', async () => {
    await visit('sandbox.html', async (page) => {
      const text = await pageText(page);
      for (const part of ['npx techapi-sandbox', 'your-private-key', 'valid 12 hours on the sandbox clock', 'reject-batch', "project.provide('sandboxUrls', sandbox.urls);"]) {
        expect(text).toContain(squash(part));
      }
      const links = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((link) => /** @type {HTMLAnchorElement} */ (link).href));
      expect(links).toContain(`${server.url}/index.html`);
      for (const link of links) expect.soft((await page.request.get(link)).status(), link).toBe(200);
      await screenshot(page, 'sandbox.png');
    });
  }, 60_000);

  it('command-line.html shows the commands, both pictures of the progress display and the first lines of a run', async () => {
    await visit('command-line.html', async (page) => {
      const text = await pageText(page);
      expect(text).toContain('techapi take-control import technicians.csv');
      expect(text).toContain('TAKE_CONTROL_KEY');
      const pictures = await page.evaluate(() => [...document.images].map((image) => ({ src: image.getAttribute('src'), width: image.naturalWidth })));
      expect(text).toContain(squash('CSV UTF-8 (Comma delimited)'));
      expect(pictures.map((picture) => picture.src)).toEqual(['cli-progress.png', 'cli-summary.png', 'cli-reading.png']);
      for (const picture of pictures) expect(picture.width, String(picture.src)).toBeGreaterThan(0);
      await screenshot(page, 'command-line.png');
    });
  }, 60_000);

  for (const api of listApis()) {
    it(`${api.name}.html shows every operation with its TypeScript and curl samples, all from its own origin`, async () => {
      const spec = loadSpec(api.name);
      const operations = specOperations(spec);
      const typescript = readTypeScriptExamples(api, operations.map(({ operation }) => operation.operationId));
      await visit(`${api.name}.html`, async (page) => {
        expect(await page.evaluate(() => document.characterSet)).toBe('UTF-8');
        const seen = [await pageText(page)];
        expect(seen[0]).toContain(squash(`${spec.info.title} (${spec.info.version})`));

        // TypeScript is the default sample language: each operation shows its example file whole.
        for (const { operation } of operations) {
          const expected = [operation.summary ?? operation.operationId, typescript.get(operation.operationId) ?? ''];
          seen.push(await openOperation(page, operation, expected));
        }
        expect(seen.join(' ')).not.toMatch(/Ã[\u0080-\u00BF]|\uFFFD/); // UTF-8 read as Latin-1, or undecodable bytes
        await openOperation(page, operations[0]?.operation, []);
        await screenshot(page, `${api.name}.png`);

        // Choosing curl in one operation's sample menu switches them all.
        await page.getByRole('button', { name: 'TypeScript' }).first().click();
        // The menu can open partly below the fold, where a pointer click is refused ("outside of the viewport"):
        // send the click event to the item itself, as a keyboard or screen-reader user's activation would.
        await page.getByRole('menuitem', { name: 'curl' }).first().dispatchEvent('click');
        for (const ref of operations) await openOperation(page, ref.operation, [curlSample(spec, ref)]);
      });
    }, 120_000);
  }
});
