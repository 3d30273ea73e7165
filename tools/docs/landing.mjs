// @ts-check
// The landing page of the published docs (dist/docs/index.html): every API with its version, its
// operations, its reference page and its bundled spec to download, and the project's quick start.

/**
 * @typedef {object} LandingApi
 * @property {string} name         e.g. take-control
 * @property {string} title        info.title
 * @property {string} version      info.version
 * @property {string} [summary]    info.summary
 * @property {string} page         the reference page, relative to index.html
 * @property {string[]} specFiles  the downloadable bundled specs, relative to index.html
 * @property {{ method: string, path: string, summary: string }[]} operations
 */

/** @param {unknown} text */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * @param {{ apis: LandingApi[], contentSecurityPolicy: string }} options
 * @returns {string}
 */
export function renderLanding({ apis, contentSecurityPolicy }) {
  const sections = apis.map(
    (api) => `
    <section class="api" id="${escapeHtml(api.name)}">
      <h2><a href="${escapeHtml(api.page)}">${escapeHtml(api.title)}</a> <span class="version">v${escapeHtml(api.version)}</span></h2>
      ${api.summary ? `<p>${escapeHtml(api.summary)}</p>` : ''}
      <p class="links">
        <a class="button" href="${escapeHtml(api.page)}">API reference</a>
        ${api.specFiles.map((file) => `<a href="${escapeHtml(file)}" download>${escapeHtml(file.split('/').pop())}</a>`).join('\n        ')}
        <span class="package">npm: <code>@techapi/${escapeHtml(api.name)}</code></span>
      </p>
      <ul class="operations">
        ${api.operations
          .map(
            (operation) =>
              `<li><span class="method ${escapeHtml(operation.method)}">${escapeHtml(operation.method.toUpperCase())}</span> <code>${escapeHtml(operation.path)}</code> ${escapeHtml(operation.summary)}</li>`,
          )
          .join('\n        ')}
      </ul>
    </section>`,
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy)}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>techapi: API references</title>
  <link rel="icon" href="favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="docs.css">
</head>
<body>
  <main>
    <h1>techapi: API references</h1>
    <p>Contract-first OpenAPI 3.1 specs of two technician-management APIs, with a typed TypeScript client for
      each. Every reference below is rendered from the bundled spec offered beside it; each operation shows a
      TypeScript sample using the client (type-checked by the project's tests) and a curl sample.</p>
${sections.join('\n')}
    <section id="sandbox">
      <h2><a href="sandbox.html">Sandbox</a></h2>
      <p>Both APIs on your machine, stateful, every answer checked against the spec: <a href="sandbox.html">the sandbox</a>
        (<code>npx techapi-sandbox</code>, npm: <code>@techapi/sandbox</code>).</p>
    </section>
    <section id="command-line">
      <h2><a href="command-line.html">Command line</a></h2>
      <p>Import technicians from a CSV without code, with progress, a report of the failed rows, resumable:
        <a href="command-line.html">techapi</a> (npm: <code>@techapi/cli</code>).</p>
    </section>
    <section id="quick-start">
      <h2>Quick start</h2>
      <p>From a clone of the repository (Node &gt;= 20.19):</p>
      <pre><code>npm ci &amp;&amp; npm run build   # specs, clients and these docs
npm test                  # every check and test
npm run docs:serve        # these pages on http://127.0.0.1:8080</code></pre>
    </section>
  </main>
</body>
</html>
`;
}
