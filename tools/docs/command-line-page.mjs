// @ts-check
// The command line's page of the published docs (dist/docs/command-line.html): what `techapi` (packages/cli)
// does, with the pictures of its progress display (tools/docs/cli-progress.png and cli-summary.png, drawn
// from a real terminal run by packages/cli/scripts/progress-picture.mjs) and of the first lines of an import
// of Excel's French CSV (cli-reading.png, by packages/cli/scripts/reading-picture.mjs).
import { docsPage, escapeHtml } from './landing.mjs';

/** The pictures the page shows, copied beside it. */
export const COMMAND_LINE_PICTURES = ['cli-progress.png', 'cli-summary.png', 'cli-reading.png'];

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
      <p>The file is the one your spreadsheet or HR tool exports, as it is: CSV or TSV, an <code>.xlsx</code> workbook,
        a JSON array or NDJSON, with English or French column names. See <a href="#reading">Reading files</a>.</p>
      <ul>
        <li><strong>Checks first.</strong> A row that breaks the schema, or repeats an email of an earlier row, is never
          sent; it goes to the report with its line, column and reason (<code>line 12: email: is not a valid email</code>).</li>
        <li><strong>Batches</strong> of <code>--batch-size</code> (default 100) through the bulk operation. A 429 never fails a
          row. A batch refused whole because of one row (a 409 for one existing email) is halved until that row is alone.</li>
        <li><strong>Every row ends created or failed.</strong> <code>--json</code> prints one object with
          <code>total</code>, <code>created</code>, <code>failed</code> and the details.</li>
        <li><strong>Report</strong>: <code>technicians.failed.csv</code>, the failed rows as written (the file's columns, in
          their order, with its separator, in UTF-8 with a byte order mark so that Excel keeps the accents) plus a
          <code>reason</code> column; the first five reasons are printed too. Fix the rows and import that file with the
          same command.</li>
        <li><strong>Resume</strong>: after Ctrl-C, kill -9 or a lost network, run the same command again. The journal
          (<code>technicians.csv.journal</code>) skips what was created; a row sent without an answer, that the server
          now says exists, counts as created. Nothing is lost, nothing is created twice.</li>
      </ul>
    </section>

    <section id="reading">
      <h2>Reading files</h2>
      <p>The first lines of a run say how the file was read. Here, Excel's French CSV: Windows-1252, separated by
        <code>;</code>, the name split in <code>Prénom</code> and <code>Nom</code>, a column the API does not take:</p>
      <p><img src="cli-reading.png" width="944" height="293" alt="techapi import of equipe.csv: encoding read as Windows-1252, separator semicolon, columns email from Adresse e-mail, name from Prénom + Nom, profile from Profil, language from Langue, ignored column Service; 5 rows, 4 created, 1 failed with its reason"></p>
      <h3>Exporting</h3>
      <ul>
        <li><strong>Excel</strong>: <em>File &gt; Save As</em> <strong>CSV UTF-8 (Comma delimited)</strong> is the safest. The plain
          <em>CSV</em> (in France <em>CSV (séparateur: point-virgule)</em>) and <em>Unicode Text</em> are read too, and so is the
          <code>.xlsx</code> itself (the first sheet, or <code>--sheet NAME</code>). An old <code>.xls</code> is refused: save it as
          <code>.xlsx</code> or CSV UTF-8.</li>
        <li><strong>Google Sheets</strong>: <em>File &gt; Download &gt; Comma-separated values (.csv)</em>, or <em>Microsoft Excel (.xlsx)</em>.</li>
      </ul>
      <h3>Encodings</h3>
      <p>UTF-8 with or without a byte order mark, and UTF-16 with one (Excel's <em>Unicode Text</em>), are read as they
        are. A file that is not UTF-8 is read as Windows-1252 (Excel's <em>CSV</em> on a Western European Windows), and the
        first line says so; <code>--encoding utf-8|utf-16le|utf-16be|windows-1252</code> decides instead. <strong>No
        replacement character (U+FFFD) is ever sent or written</strong>: a value with a byte that cannot be decoded fails
        its row, naming the line, the byte and what to do.</p>
      <h3>Separators</h3>
      <p><code>,</code> <code>;</code> tab and <code>|</code> are told from the header line; <code>--delimiter ';'</code> decides
        instead. <code>.tsv</code> and <code>.txt</code> are delimited text too.</p>
      <h3>Column names</h3>
      <p>A header names a field in English or French, in any case, with or without accents, spaces, dashes or underscores:
        <code>Email</code>, <code>E-mail</code>, <code>Adresse e-mail</code>, <code>Courriel</code>; <code>Name</code>, <code>Nom</code>,
        <code>Nom complet</code>, or <code>Prénom</code> + <code>Nom</code> (<code>First name</code> + <code>Last name</code>) joined;
        <code>Profil</code>, <code>Langue</code>, <code>Fuseau horaire</code>. <code>--column email="Mail pro"</code> names any other.
        Other columns are not sent and are named once. Two columns for one field, or none for the email, stop the run
        before anything is sent (exit 2) with the <code>--column</code> that settles it. JSON keys follow the same rules,
        and values are trimmed of spaces around them.</p>
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
