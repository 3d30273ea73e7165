// @ts-check
// The sandbox page of the published docs (dist/docs/sandbox.html): what @techapi/sandbox does, its
// assumptions where the vendors are silent, its knobs, and a test-suite example (the package's own
// examples/, type-checked by its tests). The full text is packages/sandbox/README.md.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../apis.mjs';
import { docsPage, escapeHtml } from './landing.mjs';

const examplesDir = join(repoRoot, 'packages/sandbox/examples');

/** @param {string} file */
const example = (file) => escapeHtml(readFileSync(join(examplesDir, file), 'utf8').trimEnd());

/** Rows of a two-column table: `[code, text]`, the code escaped, the text trusted markup of this file. @param {[string, string][]} rows */
const rows = (rows) => rows.map(([code, text]) => `<tr><td><code>${escapeHtml(code)}</code></td><td>${text}</td></tr>`).join('\n        ');

/** @param {{ contentSecurityPolicy: string }} options @returns {string} */
export function renderSandboxPage({ contentSecurityPolicy }) {
  return docsPage({ title: 'techapi: the sandbox', contentSecurityPolicy }, `
    <p><a href="index.html">← All API references</a></p>
    <h1>The sandbox: both APIs, stateful, on your machine</h1>
    <p><code>@techapi/sandbox</code> serves Take Control and Gestion des techniciens on 127.0.0.1 with real state:
      a duplicate email conflicts, a disabled technician reads back as disabled, a wrong key is refused, a token
      expires, a rate limit bites. <strong>Every answer is checked against the bundled OpenAPI spec before it
      leaves</strong> (a violation becomes a 500 that names it), and every request too. The Prism mock stays the
      stateless, example-driven one.</p>

    <section id="run">
      <h2>Run it</h2>
      <pre><code>npm run sandbox                      # in the repository: Take Control on http://127.0.0.1:4020, Gestion on :4021
npm run sandbox -- --rate-limit 5    # flags after --
npx techapi-sandbox --port 5000      # installed: first API on 5000, the next on 5001
npx techapi-sandbox --api technicien # one API only</code></pre>
      <p><code>@techapi/sandbox</code> is not on npm until its first release: until then install it from the
        repository, as a workspace or packed with <code>npm pack -w packages/sandbox</code>.</p>
      <p>It prints each URL and the credentials it accepts; Ctrl-C stops it. Default credentials: Take Control's
        integration key <code>your-private-key</code> (<code>Authorization: INTEGRATION-KEY your-private-key</code>,
        the vendor's example value); Gestion's login <code>demo</code>, password <code>demo</code>.</p>
      <table>
        ${rows([
          ['--port <P>', 'the first API on P (default 4020), the next on P+1; 0 gives free ports'],
          ['--api <name>', '<code>take-control</code> or <code>technicien</code>; repeat for several'],
          ['--rate-limit <N>', 'N requests per second per credential, then 429 with <code>Retry-After</code>'],
          ['--latency <MS>', 'added before each answer'],
          ['--error-rate <R>', 'share (0..1) of requests answered 503, not handled'],
          ['--drop-rate <R>', 'share (0..1) of requests handled, then left unanswered'],
          ['--seed <N>', 'seed of the faults: the same seed replays the same faults'],
          ['--bulk-conflicts <mode>', '<code>per-item</code> (default) or <code>reject-batch</code>'],
          ['--integration-key-file <F>', "Take Control's accepted key, from a file"],
          ['--login <L>, --password-file <F>', "Gestion's accepted login and password"],
          ['--seed-file <F>', 'JSON added to the seed (technicians; techniciens and clients)'],
          ['--journal-limit <N>', 'keep the last N requests in the journal (default 10,000; 0 keeps none)'],
          ['--strict-client', 'print each finding about the client to stderr as it is made'],
        ])}
      </table>
      <p>Without these flags: no rate limit, no added latency, no fault. On each API's port,
        <code>GET /__sandbox/state</code> answers its state as JSON and <code>POST /__sandbox/reset</code> empties it
        and restores the seed (also <code>POST /__sandbox/seed</code>, <code>/__sandbox/clock</code> and
        <code>/__sandbox/fail-next</code>); <code>GET /__sandbox/requests</code> and <code>/__sandbox/findings</code>
        list what the client sent and did (<a href="#journal">below</a>).</p>
    </section>

    <section id="test-suite">
      <h2>In a test suite</h2>
      <p><code>startSandbox(options)</code> gives each API's URL, <code>state()</code>, <code>seed(api, data)</code>,
        <code>reset()</code>, <code>advanceClock(ms)</code>, <code>requests(filter)</code>, <code>findings()</code>,
        <code>failNext(operationId, fault)</code> and <code>close()</code>. With vitest, one sandbox for the
        whole run in a <code>globalSetup</code>:</p>
      <pre><code>${example('vitest-global-setup.ts')}</code></pre>
      <p>The tests run in other processes: they reset and read the sandbox over HTTP.</p>
      <pre><code>${example('sandbox.test.ts')}</code></pre>
    </section>

    <section id="take-control">
      <h2>Take Control</h2>
      <ul>
        <li>Technicians are stored by email, <strong>compared ignoring case</strong> (assumption). <code>POST /tech</code>
          creates one or answers the vendor's <code>409 {"status":409,"message":"Email already exists"}</code>.</li>
        <li><code>POST /tech/bulk</code> reports per email. By default (<code>per-item</code>) an existing or repeated
          email fails in its own entry, <code>{"result":"FAILURE","status":409,"message":"Email already exists"}</code>,
          and the others are created; with <code>reject-batch</code> the whole request gets the 409 and nothing is
          created. The vendor shows only an all-success answer (assumption).</li>
        <li><code>PUT /tech/{techUsername}</code> sets the status, and the state shows it. An unknown technician gets
          <code>404 {"status":404,"message":"Technician not found"}</code> (assumption, declared in the spec).</li>
        <li>A wrong key gets the vendor's <code>403 "Invalid integration key"</code>; a key in the wrong form (no
          prefix, <code>Bearer</code>) a 403 naming the right one, <code>Authorization: INTEGRATION-KEY &lt;key&gt;</code>;
          no key at all <code>401 "Missing integration key"</code> (assumption, declared in the spec). An invalid body
          gets the vendor's 400 form, e.g. <code>Invalid request: Email must not be empty</code>; an enum lists its
          values.</li>
        <li>Past the rate limit: the vendor's <code>429 "Too many requests"</code> with <code>Retry-After</code>,
          counted per key in one-second windows of the sandbox clock.</li>
      </ul>
    </section>

    <section id="technicien">
      <h2>Gestion des techniciens</h2>
      <ul>
        <li><code>POST /restapi/auth/authenticate2</code> with the configured login gives a token <strong>valid 12
          hours on the sandbox clock</strong> (<code>advanceClock</code> moves it). A wrong password gets 401 (the
          call's documented 401). No token, an unknown or an expired one: 401.</li>
        <li>Techniciens and clients are seeded (the API has no create call): <code>tech1@example.com</code>,
          <code>tech2@example.com</code> and client <code>EXP01</code> by default.</li>
        <li><code>grant-client-access</code> records each email's access to the client until <code>dateFin</code>; it
          shows in the technician's <code>userclients</code>. An unknown email or code exploitant gets 404 and
          nothing is granted. 201 when an access is new, 200 when only its end date changed (assumption).</li>
        <li><code>GET /restapi/technicien/update</code> (a GET with a JSON body) changes the technicien with that
          <code>id</code> and answers it in the same shape; an unknown id gets 404. A partial update (the spec's
          assumption): nested objects sent are merged, arrays replaced, so <code>{"id":1,"utilisateur":{"prenomUti":"Amélie"}}</code>
          keeps the e-mail a grant finds it by. An update that would leave it without that e-mail, without naming
          a new one, gets 400.</li>
        <li>An invalid request gets the spec's 400, its message naming what is wrong (the vendor documents no
          answer to invalid input: the spec's assumption).</li>
      </ul>
    </section>

    <section id="faults">
      <h2>Faults, on purpose outside the spec</h2>
      <p>A 503 is answered without handling the request; a dropped connection comes after the request was
        handled: the work is done, the answer lost. Drawn from a seeded sequence, they replay. The clients of this
        project retry 429 for every call and 5xx or dropped connections only for idempotent ones: against the
        sandbox, a status change goes through and a create is never sent twice.</p>
      <p><strong>One request's fault, on demand</strong>: the header <code>X-Sandbox-Fault</code> (read and stripped
        before the request is checked) gives that request <code>429</code> (with <code>Retry-After: 1</code>),
        <code>503</code>, <code>drop-before</code> (closed unhandled), <code>drop-after</code> (handled, then closed) or
        <code>latency=300</code>. From code, <code>sandbox.failNext('createTechnician', 429)</code> gives it to the
        next request for that operation (over HTTP: <code>POST /__sandbox/fail-next</code>). A test then asserts
        exactly one retry, or exactly-once creation, without a random seed.</p>
    </section>

    <section id="journal">
      <h2>The journal and findings about the client</h2>
      <p><code>sandbox.requests()</code> and <code>GET /__sandbox/requests</code> (filters <code>?operationId=</code>,
        <code>?status=</code>) list every request in order: its number, the sandbox-clock time, the API and
        operationId, the method, path, query and body as received, the headers with credentials redacted
        (<code>INTEGRATION-KEY ***</code>, a token's last 4 characters, a login's password never), the status and
        the fault injected. The last 10,000 are kept (<code>journalLimit</code>, <code>--journal-limit</code>);
        a reset clears them.</p>
      <p><code>sandbox.findings()</code> and <code>GET /__sandbox/findings</code> list what a well-behaved client
        would not do, each naming the requests involved: a request sent before the <code>Retry-After</code> of a
        429 given to that credential ran out; a create sent again after a 200 or a 409 settled it; a Gestion
        request with a token the sandbox said had expired, with no login between; a key sent without the
        <code>INTEGRATION-KEY</code> prefix. With <code>--strict-client</code> each is printed to stderr. This
        project's clients make none.</p>
    </section>
`);
}
