// @ts-check
// The landing page of the published docs (dist/docs/index.html): every API with its spec version and the
// version of each package implementing it, its operations (each linking to its section of the reference),
// its reference page and its bundled spec to download, and the project's quick start.

/**
 * @typedef {object} LandingApi
 * @property {string} name         e.g. take-control
 * @property {string} title        info.title
 * @property {string} version      info.version, the spec's (contract's) version
 * @property {string} [summary]    info.summary
 * @property {string} page         the reference page, relative to index.html
 * @property {string[]} specFiles  the downloadable bundled specs, relative to index.html
 * @property {{ name: string, version: string }[]} packages  the published packages implementing the spec (or serving it)
 * @property {{ method: string, path: string, summary: string, anchor: string }[]} operations  anchor: see operationAnchor
 */

/**
 * The route of an operation's section on a Redoc 3 page (`<page>#/<anchor>`): its first tag, then its
 * operationId, both lower-cased, as read from the sidebar links of the rendered pages (tools/docs.test.mjs
 * follows every such link in chromium). Redoc slugifies other characters; rather than guess how, a tag or
 * operationId that is not already a plain slug fails the build.
 * @param {string | undefined} tag @param {string} operationId
 */
export function operationAnchor(tag, operationId) {
  const parts = [tag, operationId].map((part) => String(part ?? '').toLowerCase());
  if (parts.some((part) => !/^[a-z0-9_-]+$/.test(part))) {
    throw new Error(`Operation ${operationId} (tag ${tag ?? 'none'}): no known Redoc route for it; check the reference page's sidebar links and update operationAnchor`);
  }
  return parts.join('/');
}

/** "1.2.0 on npm", or, for a package still at 0.0.0, that it is not there yet. @param {string} version */
const packageVersion = (version) => (version === '0.0.0' ? '(not on npm until its first release)' : `${version} on npm`);

/** @param {unknown} text */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * A page of the docs site around `body` (the markup inside <main>): one head for every page, with its
 * Content-Security-Policy, icon and stylesheet.
 * @param {{ title: string, contentSecurityPolicy: string }} head @param {string} body @returns {string}
 */
export function docsPage({ title, contentSecurityPolicy }, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy)}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <link rel="icon" href="favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="docs.css">
</head>
<body>
  <main>${body}  </main>
</body>
</html>
`;
}

/**
 * @param {{ apis: LandingApi[], contentSecurityPolicy: string }} options
 * @returns {string}
 */
export function renderLanding({ apis, contentSecurityPolicy }) {
  const sections = apis.map(
    (api) => `
    <section class="api" id="${escapeHtml(api.name)}">
      <h2><a href="${escapeHtml(api.page)}">${escapeHtml(api.title)}</a> <span class="version">spec ${escapeHtml(api.version)}</span></h2>
      ${api.summary ? `<p>${escapeHtml(api.summary)}</p>` : ''}
      <p class="links">
        <a class="button" href="${escapeHtml(api.page)}">API reference</a>
        ${api.specFiles.map((file) => `<a href="${escapeHtml(file)}" download>${escapeHtml(file.split('/').pop())}</a>`).join('\n        ')}
      </p>
      <p class="package">Spec ${escapeHtml(api.version)}${api.packages.length === 0 ? '' : `, implemented by ${api.packages
        .map((pkg) => `<code>${escapeHtml(pkg.name)}</code> ${escapeHtml(packageVersion(pkg.version))}`)
        .join(', ')}`}.</p>
      <ul class="operations">
        ${api.operations
          .map(
            (operation) =>
              `<li><a href="${escapeHtml(`${api.page}#/${operation.anchor}`)}"><span class="method ${escapeHtml(operation.method)}">${escapeHtml(operation.method.toUpperCase())}</span> <code>${escapeHtml(operation.path)}</code> ${escapeHtml(operation.summary)}</a></li>`,
          )
          .join('\n        ')}
      </ul>
    </section>`,
  );
  return docsPage({ title: 'techapi: API references', contentSecurityPolicy }, `
    <h1>techapi: API references</h1>
    <p>Contract-first OpenAPI 3.1 specs of two technician-management APIs, with a typed TypeScript client for
      each. Every reference below is rendered from the bundled spec offered beside it; each operation shows a
      TypeScript sample using the client (type-checked by the project's tests) and a curl sample. Each API
      shows its spec version, which moves only when the contract does, and the version of each npm package
      implementing it, which has its own.</p>
${sections.join('\n')}
    <section id="sandbox">
      <h2><a href="sandbox.html">Sandbox</a></h2>
      <p>Both APIs on your machine, stateful, every answer checked against the spec, with a journal of the
        requests and findings about the client: <a href="sandbox.html">the sandbox</a> (<code>@techapi/sandbox</code>;
        in the repository <code>npm run sandbox</code>).</p>
    </section>
    <section id="command-line">
      <h2><a href="command-line.html">Command line</a></h2>
      <p>Import technicians from a CSV without code, with progress, a report of the failed rows, resumable:
        <a href="command-line.html">techapi</a> (<code>@techapi/cli</code>).</p>
    </section>
    <section id="quick-start">
      <h2>Quick start</h2>
      <p>From a clone of the repository (Node &gt;= 20.19):</p>
      <pre><code>npm ci &amp;&amp; npm run build   # specs, clients and these docs
npm test                  # every check and test
npm run docs:serve        # these pages on http://127.0.0.1:8080</code></pre>
      <p>A package marked "not on npm until its first release" installs from the repository until then: as a
        workspace of a clone, or packed with <code>npm pack -w packages/&lt;name&gt;</code> and installed from its
        tarball (the repository's <code>docs/releasing.md</code>).</p>
    </section>
`);
}
