// @ts-check
// Builds the published docs, dist/docs/, a static site that works offline and under a strict CSP:
//   index.html                 every API, its spec version and the packages implementing it, its operations
//                              (each linking to its section of the reference), links to its reference and specs
//   <api>.html                 the Redocly reference (`redocly build-docs`, Redoc 3) of the bundled spec, each
//                              operation with a TypeScript sample (packages/<api>/examples/<operationId>.ts)
//                              and a curl sample generated from the spec
//   sandbox.html               the local sandbox (@techapi/sandbox): behaviour, assumptions, knobs, a test-suite example
//   command-line.html          the techapi command line (@techapi/cli), with pictures of its progress display
//   specs/<api>.{yaml,json}    the bundled specs, for download
//   redoc.standalone.js        the Redoc build the pages hydrate with, served beside them instead of
//                              Redocly's CDN, its hard-coded CDN logo pointed at a local file
//   favicon.svg, logo.svg (links back to index.html), docs.css and reference.css, redocly-wordmark.svg
// The samples go into a docs-only copy of each bundled spec: the specs themselves stay as written.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { listApis, repoRoot } from './apis.mjs';
import { curlSample, readTypeScriptExamples, SAMPLE_LANGUAGES } from './docs/code-samples.mjs';
import { loadSpec, specOperations } from './testing/spec.mjs';
import { operationAnchor, renderLanding } from './docs/landing.mjs';
import { renderSandboxPage } from './docs/sandbox-page.mjs';
import { COMMAND_LINE_PICTURES, renderCommandLinePage } from './docs/command-line-page.mjs';
import { listPublishedPackages, specsOf } from './packages.mjs';

const run = promisify(execFile);
const docsDir = join(repoRoot, 'dist/docs');
const assetsDir = join(repoRoot, 'tools/docs');
const redocly = join(repoRoot, 'node_modules/.bin/redocly');
// The Redoc build that `redocly build-docs` renders with and that its pages import from the CDN (the file its
// --inlineBundle embeds). The redoc 2.x npm package cannot stand in: Redoc 3 markup, and an ES module export
// `hydrate(definition, options, element)` that redoc 2's UMD bundle lacks.
const redocBundle = join(repoRoot, 'node_modules/@redocly/cli/lib/chunks/redoc.standalone.js');
const REDOC_CDN_URL = /https:\/\/cdn\.redocly\.com\/redoc\/v[^/"]+\/bundles\/redoc\.standalone\.js/g;
// Outside URLs hard-coded in the Redoc bundle (no option turns them off) and the local file each becomes.
const BUNDLE_REWRITES = {
  'https://cdn.redoc.ly/redoc/logo-mini-full.svg': 'redocly-wordmark.svg',
  'https://cdn.redoc.ly/redoc/logo-mini.svg': 'redocly-wordmark.svg',
};
const STATIC_ASSETS = ['favicon.svg', 'logo.svg', 'docs.css', 'reference.css', 'redocly-wordmark.svg'];

/** @param {string} content @param {'sha256' | 'sha384'} algorithm */
const digest = (content, algorithm) => `${algorithm}-${createHash(algorithm).update(content).digest('base64')}`;

/** Only our own origin, plus hashes of the page's inline scripts. @param {string[]} scriptHashes */
function referencePolicy(scriptHashes) {
  return [
    "default-src 'none'",
    `script-src 'self' ${scriptHashes.map((hash) => `'${hash}'`).join(' ')}`,
    "style-src 'self' 'unsafe-inline'", // Redoc's styled-components write <style> elements at run time
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:", // Redoc's search index runs in a blob: worker
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
const LANDING_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'";

/** Copies Redoc's bundle beside the pages with its outside URLs made local. @returns {{ original: string, local: string }} integrities */
function writeRedocBundle() {
  if (!existsSync(redocBundle)) {
    throw new Error(`${relative(repoRoot, redocBundle)} not found: @redocly/cli moved its Redoc build, update tools/build-docs.mjs`);
  }
  const original = readFileSync(redocBundle, 'utf8');
  let local = original;
  for (const [url, file] of Object.entries(BUNDLE_REWRITES)) {
    if (!local.includes(url)) throw new Error(`Redoc's bundle no longer contains ${url}: review BUNDLE_REWRITES in tools/build-docs.mjs`);
    local = local.replaceAll(url, file);
  }
  writeFileSync(join(docsDir, 'redoc.standalone.js'), local);
  return { original: digest(original, 'sha384'), local: digest(local, 'sha384') };
}

/**
 * Points a page rendered by `redocly build-docs` at the local Redoc bundle and adds its CSP. Fails if the page
 * was rendered for another Redoc build than the local one (the CDN URL's integrity is that file's hash).
 * @param {string} html @param {{ original: string, local: string }} integrity @param {string} page
 */
function localizePage(html, integrity, page) {
  const cdnReferences = html.match(REDOC_CDN_URL) ?? [];
  const pageIntegrity = /integrity="(sha384-[^"]+)"/.exec(html)?.[1];
  if (cdnReferences.length !== 2 || pageIntegrity === undefined) {
    throw new Error(`${page}: expected Redocly's output to import Redoc from its CDN once (preload + import); its format changed`);
  }
  if (pageIntegrity !== integrity.original) {
    throw new Error(`${page} imports ${cdnReferences[0]}, which is not ${relative(repoRoot, redocBundle)} (integrity differs)`);
  }
  const local = html.replace(REDOC_CDN_URL, './redoc.standalone.js').replace(pageIntegrity, integrity.local);
  const inlineScripts = [...local.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
  const policy = referencePolicy(inlineScripts.map((script) => digest(script, 'sha256')));
  if (!local.includes('__CONTENT_SECURITY_POLICY__')) throw new Error(`${page}: the template lost its CSP placeholder`);
  return local.replace('__CONTENT_SECURITY_POLICY__', () => policy);
}

/** The bundled spec with `x-codeSamples` on every operation, for the docs only. @param {import('./apis.mjs').Api} api */
function docsSpecOf(api) {
  const spec = loadSpec(api.name);
  const operations = specOperations(spec);
  const typescript = readTypeScriptExamples(api, operations.map(({ operation }) => operation.operationId));
  for (const ref of operations) {
    ref.operation['x-codeSamples'] = [
      { ...SAMPLE_LANGUAGES[0], source: typescript.get(ref.operation.operationId) },
      { ...SAMPLE_LANGUAGES[1], source: curlSample(spec, ref) },
    ];
  }
  // The logo opens the landing page: the way back from a reference.
  spec.info['x-logo'] = { url: 'logo.svg', href: 'index.html', altText: 'techapi: all API references' };
  return { spec, operations };
}

/** @param {import('./apis.mjs').Api} api @param {string} workDir @param {{ original: string, local: string }} integrity */
async function buildReference(api, workDir, integrity) {
  const { spec, operations } = docsSpecOf(api);
  const docsSpec = join(workDir, `${api.name}.json`);
  writeFileSync(docsSpec, JSON.stringify(spec));
  const specFiles = [api.bundledYaml, api.bundledJson].map((file) => `specs/${basename(file)}`);
  const redocOptions = {
    codeSamples: { languages: SAMPLE_LANGUAGES },
    downloadUrls: specFiles.map((url) => ({ title: url.endsWith('.json') ? 'JSON' : 'YAML', url })),
  };
  const args = ['build-docs', docsSpec, '--output', api.docsHtml, '--template', join(assetsDir, 'reference.hbs')];
  try {
    await run(redocly, [...args, '--openapi', JSON.stringify(redocOptions)], { cwd: repoRoot });
  } catch (error) {
    const { stdout = '', stderr = '' } = /** @type {{ stdout?: string, stderr?: string }} */ (error);
    throw new Error(`redocly build-docs failed for ${api.name}:\n${stdout}${stderr}`);
  }
  writeFileSync(api.docsHtml, localizePage(readFileSync(api.docsHtml, 'utf8'), integrity, relative(repoRoot, api.docsHtml)));
  for (const file of [api.bundledYaml, api.bundledJson]) copyFileSync(file, join(docsDir, 'specs', basename(file)));
  return {
    name: api.name,
    title: spec.info.title,
    version: spec.info.version,
    summary: spec.info.summary,
    page: basename(api.docsHtml),
    specFiles,
    packages: listPublishedPackages()
      .filter((pkg) => specsOf(pkg).includes(api.name))
      .sort((a, b) => Number(b.api === api) - Number(a.api === api))
      .map(({ name, version }) => ({ name, version })),
    operations: operations.map(({ method, path, operation }) => ({
      method: method.toLowerCase(),
      path,
      summary: operation.summary ?? operation.operationId,
      anchor: operationAnchor(operation.tags?.[0], operation.operationId),
    })),
  };
}

const started = performance.now();
rmSync(docsDir, { recursive: true, force: true });
mkdirSync(join(docsDir, 'specs'), { recursive: true });
for (const asset of [...STATIC_ASSETS, ...COMMAND_LINE_PICTURES]) copyFileSync(join(assetsDir, asset), join(docsDir, asset));
const integrity = writeRedocBundle();
const workDir = mkdtempSync(join(tmpdir(), 'techapi-docs-'));
try {
  const apis = await Promise.all(listApis().map((api) => buildReference(api, workDir, integrity)));
  writeFileSync(join(docsDir, 'index.html'), renderLanding({ apis, contentSecurityPolicy: LANDING_POLICY }));
  writeFileSync(join(docsDir, 'sandbox.html'), renderSandboxPage({ contentSecurityPolicy: LANDING_POLICY }));
  writeFileSync(join(docsDir, 'command-line.html'), renderCommandLinePage({ contentSecurityPolicy: LANDING_POLICY }));
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
for (const page of ['index.html', 'sandbox.html', 'command-line.html', ...listApis().map((api) => basename(api.docsHtml)), 'redoc.standalone.js']) {
  console.log(`dist/docs/${page.padEnd(22)} ${(statSync(join(docsDir, page)).size / 1024).toFixed(0).padStart(5)} KiB`);
}
console.log(`Docs built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
