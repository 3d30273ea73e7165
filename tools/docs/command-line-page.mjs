// @ts-check
// The command line's page of the published docs (dist/docs/command-line.html): what `techapi` (packages/cli)
// does, with the pictures of its progress display (tools/docs/cli-progress.png and cli-summary.png, drawn
// from a real terminal run by packages/cli/scripts/progress-picture.mjs).
import { docsPage, escapeHtml } from './landing.mjs';

/** The pictures the page shows, copied beside it. */
export const COMMAND_LINE_PICTURES = ['cli-progress.png', 'cli-summary.png'];

/**
 * @param {{ contentSecurityPolicy: string }} options
 * @returns {string}
 */
export function renderCommandLinePage({ contentSecurityPolicy }) {
  return docsPage({ title: 'techapi: command line', contentSecurityPolicy }, `
    <p><a href="index.html">← techapi</a></p>
    <h1>Command line</h1>
    <p><code>techapi</code> (npm: <code>@techapi/cli</code>) onboards Take Control technicians from a spreadsheet
      without a line of code: it checks every row against the API's schema, creates the rows in batches, waits
      out rate limits, resumes an interrupted run, and hands back a file of the rows that failed, ready to fix
      and import again. It also creates, enables and disables one technician, and grants Océan client access
      or updates a technician. It is built on the typed clients; Node &gt;= 20.19.</p>

    <section id="import">
      <h2>Import a file of technicians</h2>
      <pre><code>export TAKE_CONTROL_KEY=...                              # or --key-file ~/.take-control-key
techapi take-control import technicians.csv --dry-run   # check only: nothing is sent
techapi take-control import technicians.csv</code></pre>
      <p>On a terminal, a live bar shows the rows done, the rate, the time left and, when the server answers
        429, the wait its <code>Retry-After</code> asks for:</p>
      <p><img src="cli-progress.png" width="944" height="76" alt="techapi import: a progress bar at 1601 of 3000 rows, 486 rows/s, ETA 3s, 1599 created, 2 failed, 429: waiting 0.6 s"></p>
      <p>At the end, a summary, the report of the rows that failed and the journal that makes the run resumable:</p>
      <p><img src="cli-summary.png" width="944" height="163" alt="The summary: 3000 rows, 2998 created, 2 failed (1 invalid, 1 refused by the server), the failed rows file and the journal"></p>
      <p>The CSV's header row names the API's fields: <code>email,name,profile,language,timezone</code> (JSON arrays
        and NDJSON work too). A column the API does not know is an error that names it.</p>
      <pre><code>email,name,profile,language,timezone
john.doe@example.com,John Doe,support,en,Europe/Lisbon
jane.roe@example.com,"Roe, Jane",admin,fr,Europe/Paris</code></pre>
      <ul>
        <li><strong>Checks first.</strong> A row that breaks the schema, or repeats an email of an earlier row, is never
          sent; it goes to the report with its line, column and reason (<code>line 12: email: is not a valid email</code>).</li>
        <li><strong>Batches</strong> of <code>--batch-size</code> (default 100) through the bulk operation. A 429 never fails a
          row. A batch refused whole because of one row (a 409 for one existing email) is halved until that row is alone.</li>
        <li><strong>Every row ends created or failed.</strong> <code>--json</code> prints one object with
          <code>total</code>, <code>created</code>, <code>failed</code> and the details.</li>
        <li><strong>Report</strong>: <code>technicians.failed.csv</code>, the failed rows as written plus a <code>reason</code>
          column. Fix them and import that file.</li>
        <li><strong>Resume</strong>: after Ctrl-C, kill -9 or a lost network, run the same command again. The journal
          (<code>technicians.csv.journal</code>) skips what was created; a row sent without an answer, that the server
          now says exists, counts as created. Nothing is lost, nothing is created twice.</li>
      </ul>
    </section>

    <section id="commands">
      <h2>Other commands</h2>
      <pre><code>techapi take-control create --email john.doe@example.com --name "John Doe" --profile support
techapi take-control disable john.doe@example.com
techapi take-control enable john.doe@example.com
techapi technicien grant --emails tech1@example.com,tech2@example.com --code-exploitant EXP01 --until 2026-12-31
techapi technicien update technicien.json --customer-id 12</code></pre>
      <p>Every command has <code>--help</code> with examples, and <code>--base-url</code> to point it at the sandbox
        (<code>npm run sandbox</code>) or the mock.</p>
    </section>

    <section id="configuration">
      <h2>Configuration</h2>
      <ul>
        <li><code>TAKE_CONTROL_KEY</code> (or <code>--key-file</code>), <code>TAKE_CONTROL_URL</code> (or <code>--base-url</code>,
          <code>--region</code>).</li>
        <li><code>OCEAN_URL</code> (or <code>--base-url</code>); <code>OCEAN_LOGIN</code> and <code>OCEAN_PASSWORD</code>
          (or <code>--login</code>, <code>--password-file</code>), or <code>OCEAN_TOKEN</code> (or <code>--token-file</code>).</li>
        <li>Secrets come only from the environment or a file: a value typed on the command line shows in <code>ps</code>
          and in the shell's history, so <code>--key</code>, <code>--password</code> and <code>--token</code> are refused.
          No secret is ever printed or written to a report or a journal.</li>
      </ul>
    </section>

    <section id="exit-codes">
      <h2>Exit codes</h2>
      <ul>
        <li><code>0</code> every row created (or the call succeeded)</li>
        <li><code>1</code> some rows failed (for <code>--dry-run</code>: invalid or repeated), or the server refused the call</li>
        <li><code>2</code> bad usage, a missing key or login, an unreadable input file</li>
        <li><code>130</code> stopped by Ctrl-C: run the same command again to resume</li>
      </ul>
    </section>
`);
}
