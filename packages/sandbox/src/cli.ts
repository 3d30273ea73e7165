#!/usr/bin/env node
// techapi-sandbox: serves both APIs on 127.0.0.1:4020 and :4021 until Ctrl-C. `--help` lists the flags.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { API_NAMES, DEFAULT_JOURNAL_LIMIT, startSandbox, type ApiName, type SandboxOptions, type SeedData } from './sandbox.js';
import { DEFAULT_INTEGRATION_KEY } from './take-control/index.js';

const DEFAULT_PORT = 4020;

const usage = `Usage: techapi-sandbox [options]   (in the repo: npm run sandbox -- [options])

Serves Take Control on http://127.0.0.1:4020 and Gestion des techniciens on :4021, stateful, every answer
checked against the bundled OpenAPI specs. Ctrl-C stops it.

  --port <P>                  the first API on P, the next on P+1 (default ${DEFAULT_PORT}; 0: free ports)
  --host <H>                  default 127.0.0.1
  --api <name>                serve this API only (${API_NAMES.join(' | ')}); repeat for several
  --rate-limit <N>            N requests per second per credential, then 429 with Retry-After (default: none)
  --latency <MS>              add MS milliseconds before each answer (default 0)
  --error-rate <R>            answer this share (0..1) of requests 503, unhandled (default 0)
  --drop-rate <R>             handle this share (0..1) of requests, then drop the connection unanswered (default 0)
  --seed <N>                  seed of the faults' sequence: the same seed replays the same faults (default 1)
  --bulk-conflicts <mode>     per-item (default) | reject-batch: how POST /tech/bulk fails an existing or repeated email
  --integration-key-file <F>  Take Control's accepted key, read from file F (default "${DEFAULT_INTEGRATION_KEY}")
  --login <L>                 Gestion's accepted login (default "demo")
  --password-file <F>         Gestion's accepted password, read from file F (default "demo")
  --seed-file <F>             JSON data added to the seed: {"take-control": {"technicians": [...]},
                              "technicien": {"techniciens": [...], "clients": [...]}}
  --journal-limit <N>         keep the last N requests in the journal, GET <url>/__sandbox/requests
                              (default ${DEFAULT_JOURNAL_LIMIT}; 0 keeps none)
  --strict-client             print each finding about the client to stderr as it is made (also listed
                              at GET <url>/__sandbox/findings): a request before a 429's Retry-After ran out,
                              a create sent again after a 200 or 409 settled it, an expired token sent again
                              without a login, a key without the INTEGRATION-KEY prefix
  -h, --help                  this text

A request can ask for its own fault with the header X-Sandbox-Fault: 429 | 503 | drop-before | drop-after |
latency=<ms> (or POST <url>/__sandbox/fail-next {"operationId": "...", "fault": "..."} for the next one).
Exit codes: 0 stopped by Ctrl-C or SIGTERM, 1 could not start (e.g. the port is taken), 2 bad flags.
`;

function fail(message: string): never {
  process.stderr.write(`techapi-sandbox: ${message}\n\n${usage}`);
  process.exit(2);
}

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) fail(`${flag} takes a number, got "${text}"`);
  return value;
}

function readSecret(flag: string, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    const secret = readFileSync(file, 'utf8').trim();
    if (!secret) fail(`${flag}: ${file} is empty`);
    return secret;
  } catch (error) {
    fail(`${flag}: cannot read ${file}: ${(error as Error).message}`);
  }
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        api: { type: 'string', multiple: true },
        'rate-limit': { type: 'string' },
        latency: { type: 'string' },
        'error-rate': { type: 'string' },
        'drop-rate': { type: 'string' },
        seed: { type: 'string' },
        'bulk-conflicts': { type: 'string' },
        'integration-key-file': { type: 'string' },
        login: { type: 'string' },
        'password-file': { type: 'string' },
        'seed-file': { type: 'string' },
        'journal-limit': { type: 'string' },
        'strict-client': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(usage);
    return;
  }
  const apis = values.api as ApiName[] | undefined;
  for (const api of apis ?? []) if (!API_NAMES.includes(api)) fail(`unknown API "${api}"; known: ${API_NAMES.join(', ')}`);
  const bulkConflicts = values['bulk-conflicts'];
  if (bulkConflicts !== undefined && bulkConflicts !== 'per-item' && bulkConflicts !== 'reject-batch') fail(`--bulk-conflicts is per-item or reject-batch, got "${bulkConflicts}"`);
  const integrationKey = readSecret('--integration-key-file', values['integration-key-file']);
  const password = readSecret('--password-file', values['password-file']);
  let seed: Partial<SeedData> = {};
  if (values['seed-file']) {
    try {
      seed = JSON.parse(readFileSync(values['seed-file'], 'utf8'));
    } catch (error) {
      fail(`--seed-file: ${(error as Error).message}`);
    }
  }

  const options: SandboxOptions = {
    port: number('--port', values.port) ?? DEFAULT_PORT,
    rateLimit: number('--rate-limit', values['rate-limit']),
    latencyMs: number('--latency', values.latency) ?? 0,
    faults: { errorRate: number('--error-rate', values['error-rate']), dropRate: number('--drop-rate', values['drop-rate']), seed: number('--seed', values.seed) },
    takeControl: { integrationKey, bulkConflicts, seed: seed['take-control'] },
    technicien: { login: values.login, password, seed: seed.technicien },
    journalLimit: number('--journal-limit', values['journal-limit']),
  };
  if (options.journalLimit !== undefined && !(Number.isInteger(options.journalLimit) && options.journalLimit >= 0)) fail(`--journal-limit takes a whole number >= 0, got "${values['journal-limit']}"`);
  if (values['strict-client']) {
    options.onFinding = (finding) => process.stderr.write(`techapi-sandbox: finding (${finding.api}, ${finding.kind}): ${finding.message}\n`);
  }
  if (apis) options.apis = apis;
  if (values.host) options.host = values.host;

  let sandbox;
  try {
    sandbox = await startSandbox(options);
  } catch (error) {
    process.stderr.write(`techapi-sandbox: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const lines = ['techapi sandbox: stateful, every answer checked against the bundled specs', ''];
  const takeControlUrl = sandbox.urls['take-control'];
  if (takeControlUrl) {
    const key = integrationKey ? `the key in ${values['integration-key-file']}` : DEFAULT_INTEGRATION_KEY;
    lines.push(`  Take Control             ${takeControlUrl}`, `    accepts  Authorization: INTEGRATION-KEY ${key}`);
  }
  const technicienUrl = sandbox.urls.technicien;
  if (technicienUrl) {
    const secret = password ? `the password in ${values['password-file']}` : 'password "demo"';
    lines.push(
      `  Gestion des techniciens  ${technicienUrl}`,
      `    accepts  login "${values.login ?? 'demo'}", ${secret} (POST /restapi/auth/authenticate2; the token lasts 12 h)`,
      `    seeded   techniciens tech1@example.com, tech2@example.com; client EXP01`,
    );
  }
  const faults = options.faults ?? {};
  lines.push(
    '',
    `  rate limit: ${options.rateLimit ? `${options.rateLimit}/s per credential` : 'none'}; latency: ${options.latencyMs} ms; ` +
      `faults: ${faults.errorRate || faults.dropRate ? `${faults.errorRate ?? 0} 503s, ${faults.dropRate ?? 0} drops, seed ${faults.seed ?? 1}` : 'none'}`,
    `  journal: the last ${options.journalLimit ?? DEFAULT_JOURNAL_LIMIT} requests; findings ${values['strict-client'] ? 'printed to stderr' : 'listed only'}`,
    '  inspect: GET <url>/__sandbox/state, /__sandbox/requests, /__sandbox/findings   reset: POST <url>/__sandbox/reset',
    '',
    'Ctrl-C stops it.',
  );
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1); // a second Ctrl-C: now
    stopping = true;
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`techapi-sandbox: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
