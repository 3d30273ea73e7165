// @ts-check
// `npm run verify -- --api <api> --target <url> [--key-file <file>] [--login <login> --password-file <file>]`
// Runs the API's contract scenarios (one valid request per request example of the spec, the same ones
// the contract tests send to the mock) against a real server, through the built client, via Prism's
// validation proxy (`prism proxy <spec> <target> --errors`). Every violation is printed with its
// operation and field: Prism's, and the contract validator's own check of each request and response.
// A request Prism's proxy cannot carry (a GET with a body: technicien's updateTechnicien) goes straight
// to the target and is checked by the validator alone. Exit code: 0 when the server honours the
// contract, 1 on any violation or unanswered call, 2 on a usage error.
//   VERIFY_KEY or --key-file <file>  the API's credential: Take Control's integration key, technicien's
//               X-AUTH-TOKEN token; without one a placeholder is sent and a real server answers 401/403.
//   --login (or VERIFY_LOGIN), and VERIFY_PASSWORD or --password-file <file> (technicien): put in the
//               login scenario's body.
// Secrets come only from the environment or a file: a value on the command line shows in `ps` and in
// the shell's history, so `--key <key>` and `--password <password>` are refused.
// The scenarios CREATE and CHANGE data on the target (they are the spec's examples): use a test account.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getApi, listApis } from './apis.mjs';
import { startProxy } from './mock-server.mjs';
import { createContract } from './testing/contract.mjs';
import { formatViolation } from '@techapi/openapi-validator';
import { callOperation, exampleScenarios } from './testing/scenarios.mjs';

/** @typedef {import('./testing/contract.mjs').Exchange} Exchange */

const usage = `Usage: npm run verify -- --api <${listApis()
  .map((api) => api.name)
  .join('|')}> --target <base URL> [--key-file <file>] [--login <login> --password-file <file>]
  The key and password come from VERIFY_KEY and VERIFY_PASSWORD, or from the files named by --key-file and
  --password-file (one line; a trailing newline is ignored).`;

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    api: { type: 'string' },
    target: { type: 'string' },
    key: { type: 'string' },
    'key-file': { type: 'string' },
    login: { type: 'string', default: process.env.VERIFY_LOGIN },
    password: { type: 'string' },
    'password-file': { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
for (const [flag, variable] of /** @type {const} */ ([['key', 'VERIFY_KEY'], ['password', 'VERIFY_PASSWORD']])) {
  // The value itself is never echoed: it is a secret that should not have been typed there.
  if (values[flag] !== undefined) fail(`--${flag} takes no value on the command line (it would show in ps and in shell history): set ${variable}, or pass --${flag}-file <file>.`);
}
/** @param {string | undefined} file @param {string | undefined} fromEnv @param {string} flag */
function readSecret(file, fromEnv, flag) {
  if (file === undefined) return fromEnv;
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    return fail(`--${flag}-file ${file}: ${/** @type {NodeJS.ErrnoException} */ (error).code ?? error}`);
  }
}
const key = readSecret(values['key-file'], process.env.VERIFY_KEY, 'key');
const password = readSecret(values['password-file'], process.env.VERIFY_PASSWORD, 'password');
if (!values.api) fail('--api is required.');
if (!values.target) fail('--target is required.');
let targetUrl;
try {
  targetUrl = new URL(/** @type {string} */ (values.target));
} catch {
  fail(`--target is not a URL: ${values.target}`);
}
const target = /** @type {URL} */ (targetUrl).href.replace(/\/$/, '');
const api = (() => {
  try {
    return getApi(/** @type {string} */ (values.api));
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
})();
/** @type {string[]} */
const secrets = [key, password].filter((secret) => secret !== undefined && secret.length > 0).map(String);
/** @param {string} text */
const redact = (text) => secrets.reduce((safe, secret) => safe.split(secret).join('[redacted]'), text);
/** @param {string} line */
const print = (line) => console.log(redact(line));

const { default: driver } = await import(`./testing/drivers/${api.name}.mjs`).catch(() =>
  fail(`No contract driver for ${api.name}: write tools/testing/drivers/${api.name}.mjs.`),
);
const packageName = JSON.parse(readFileSync(join(api.packageDir, 'package.json'), 'utf8')).name;
// The built package, as users get it (its Node entry): `npm run verify` builds it first.
const pkg = await import(packageName).catch((error) => fail(`Cannot load ${packageName} (run \`npm run build\`): ${error.message}`));

const proxy = await startProxy({ specFile: api.bundledYaml, target });
let exitCode = 0;
try {
  const contract = createContract(api.name);

  /**
   * Sends through Prism's proxy, except what it refuses to carry (a body on GET or HEAD), which goes
   * straight to the target: the validator still checks it on both ways.
   * @param {import('./testing/contract.mjs').FetchFunction} send @param {typeof Request} RequestClass
   * @returns {import('./testing/contract.mjs').FetchFunction}
   */
  const route = (send, RequestClass) => (request, ...rest) => {
    const wire = /** @type {{ body: unknown }} */ (/** @type {unknown} */ (request));
    const hasBody = typeof wire.body === 'string' ? wire.body !== '' : wire.body != null;
    if (!hasBody || !['GET', 'HEAD'].includes(request.method) || !request.url.startsWith(proxy.url)) return send(request, ...rest);
    const direct = new RequestClass(target + request.url.slice(proxy.url.length), {
      method: request.method,
      headers: request.headers,
      body: /** @type {string} */ (wire.body),
      signal: request.signal,
    });
    return send(direct, ...rest);
  };

  const client = driver.createClient(pkg, {
    baseUrl: proxy.url,
    key,
    fetch: contract.wrapFetch(route((request) => fetch(request), Request)),
    wrapTransport: (/** @type {import('@techapi/client-core').Transport} */ transport) =>
      contract.wrapTransport({ ...transport, fetch: route(transport.fetch, transport.Request) }),
  });

  print(`Verifying ${api.name} against ${target}, through Prism's validation proxy (--errors) and the contract validator.`);
  let violations = 0;
  let unanswered = 0;
  const scenarios = exampleScenarios(api.name);
  for (const scenario of scenarios) {
    const request = structuredClone(scenario.request);
    if (request.body && typeof request.body === 'object') {
      if (values.login !== undefined && 'login' in request.body) request.body.login = values.login;
      if (password !== undefined && 'password' in request.body) request.body.password = password;
    }
    const before = contract.exchanges.length;
    const outcome = await callOperation(driver, client, scenario.operationId, request, { timeoutMs: 30_000, retry: false });
    const exchanges = contract.exchanges.slice(before);
    const found = exchanges.flatMap((exchange) => exchange.violations);
    violations += found.length;
    const statuses = exchanges.map((exchange) => describeStatus(exchange)).join(', ') || 'nothing sent';
    const problem = outcome.threw
      ? `the client threw: ${outcome.threw instanceof Error ? outcome.threw.message : String(outcome.threw)}`
      : outcome.error && outcome.error.status === 0
        ? `no response: ${outcome.error.kind}: ${outcome.error.message}`
        : undefined;
    if (problem) unanswered++;
    const direct = exchanges.some((exchange) => isDirect(exchange, scenario.request))
      ? '  (sent straight to the target: Prism proxies no GET body; checked by the validator)'
      : '';
    print(`${found.length === 0 && !problem ? '✓' : '✗'} ${scenario.name} → ${statuses}${direct}`);
    if (problem) print(`    ${problem}`);
    for (const violation of found) print(`    ${formatViolation(violation)}`);
  }
  print(
    `\n${scenarios.length} scenarios, ${contract.exchanges.length} exchanges: ` +
      `${violations} violation${violations === 1 ? '' : 's'}${unanswered ? `, ${unanswered} unanswered` : ''}.`,
  );
  if (violations > 0 || unanswered > 0) exitCode = 1;
} finally {
  await proxy.stop();
}
process.exit(exitCode);

/** @param {Exchange} exchange */
function describeStatus(exchange) {
  const path = new URL(exchange.url).pathname;
  const status = exchange.status === 0 ? `no response (${exchange.failure ?? 'unknown'})` : String(exchange.status);
  return `${exchange.method} ${path} ${status}${exchange.prismAnswered ? ' (from Prism)' : ''}`;
}

/** @param {Exchange} exchange @param {import('./testing/scenarios.mjs').SpecRequest} request */
function isDirect(exchange, request) {
  return ['GET', 'HEAD'].includes(exchange.method) && request.body !== undefined;
}
