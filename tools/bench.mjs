// @ts-check
// `npm run bench`: what each client's runtime costs over openapi-fetch alone on the same transport,
// measured in one run against a local node:http server on 127.0.0.1, printed as ratios with their targets;
// and what each part of the runtime weighs.
//
// The server runs in its own process; global fetch's variants and undici's run in two more, so that
// neither transport's connections or garbage touch the other's figures.
// Within a process the variants are interleaved round by round and the median kept, which keeps a busy
// machine's drift out of the ratios. Every loop is bounded in count and in time.
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { getApi, repoRoot } from './apis.mjs';
import { median, quantile, serveCannedJson } from './bench-common.mjs';

const self = fileURLToPath(import.meta.url);

const ROUNDS = 30;
const WARMUP_CALLS = 500;
/** Per round and variant: sequential calls for latency, then calls at 32 in flight for throughput. */
const LATENCY_CALLS = 200;
const THROUGHPUT = { calls: 1000, inFlight: 32 };
/** Each family stops starting rounds past this, whatever ROUNDS says. */
const FAMILY_BUDGET_MS = 60_000;

const KEY = 'bench-key';
const TOKEN = 'bench-token';
const TECHNICIAN = { email: 'john.doe@example.com', name: 'John Doe', profile: 'admin', language: 'de', timezone: 'Europe/Lisbon' };
const GRANT = { emails: ['tech1@example.com', 'tech2@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' };

/**
 * The HTTP exchange each client makes, for the raw baselines to make the same one: take-control's
 * createTechnician (a POST with a JSON body) and technicien's grantClientAccess (a POST with a query).
 * @param {string} url
 */
const exchanges = (url) => ({
  'take-control': {
    url: `${url}/tech`,
    headers: { 'content-type': 'application/json', authorization: `INTEGRATION-KEY ${KEY}` },
    body: () => JSON.stringify(TECHNICIAN),
  },
  technicien: {
    url: `${url}/restapi/technicien/grant-client-access?${new URLSearchParams({ ...GRANT, emails: GRANT.emails.join(';') })}`,
    headers: { 'x-auth-token': TOKEN },
    body: () => undefined,
  },
});

/**
 * Two families, each measured in its own process: one per transport. In each, for each client: raw
 * (the exchange made by hand, for context), openapi-fetch alone on the transport the client uses (the
 * baseline of the targets), and the client. Each variant is a function that makes one call and resolves
 * once its body is parsed.
 * @type {Record<string, Record<string, (url: string) => Promise<() => Promise<unknown>>>>}
 */
const FAMILIES = {
  fetch: {
    'take-control, raw fetch': async (url) => rawFetch(exchanges(url)['take-control']),
    'take-control, openapi-fetch alone, fetch transport': (url) => openapiFetch('take-control', url, 'fetchTransport'),
    'take-control, client, fetch transport': (url) => takeControl(url), // the Node entry's default
    'technicien, raw fetch': async (url) => rawFetch(exchanges(url).technicien),
    'technicien, openapi-fetch alone, fetch transport': (url) => openapiFetch('technicien', url, 'fetchTransport'),
    'technicien, client, fetch transport': (url) => technicien(url), // the Node entry's default
  },
  undici: {
    'take-control, raw undici.request': (url) => rawUndici(exchanges(url)['take-control']),
    'take-control, openapi-fetch alone, undici transport': (url) => openapiFetch('take-control', url, 'undiciTransport'),
    'take-control, client, undici transport': (url) => takeControl(url, 'undiciTransport'),
    'technicien, raw undici.request': (url) => rawUndici(exchanges(url).technicien),
    'technicien, openapi-fetch alone, undici transport': (url) => openapiFetch('technicien', url, 'undiciTransport'),
    'technicien, client, undici transport': (url) => technicien(url, 'undiciTransport'),
  },
};

/** The transports, as each package's Node entry exports them. @typedef {'fetchTransport' | 'undiciTransport'} TransportName */

/** @typedef {{ url: string, headers: Record<string, string>, body: () => string | undefined }} Exchange */
/**
 * Per round: wall time per sequential call, the client process's CPU time per sequential call (what a
 * call costs, whatever else the machine is doing), calls per second at 32 in flight.
 * @typedef {{ latencyUs: number[], cpuUs: number[], opsPerSec: number[] }} Measures
 */

/** @param {Exchange} exchange */
function rawFetch({ url, headers, body }) {
  return () => fetch(url, { method: 'POST', headers, body: body() }).then((response) => response.json());
}

/** @param {Exchange} exchange */
async function rawUndici({ url, headers, body }) {
  const { request } = await import('undici');
  return () => request(url, { method: 'POST', headers, body: body() }).then((response) => response.body.json());
}

/**
 * openapi-fetch alone, given the transport the client would use, making the client's call: the headers
 * and the parsed result the client gets, without its runtime (retries, timeouts, typed errors).
 * @param {'take-control' | 'technicien'} pkg @param {string} url @param {TransportName} transport
 */
async function openapiFetch(pkg, url, transport) {
  /** @type {(options: object) => any} untyped: the bench does not load the generated paths */
  const createClient = (await import('openapi-fetch')).default;
  const module = await importDist(pkg, 'node.js');
  if (pkg === 'take-control') {
    const http = createClient({ baseUrl: url, headers: { Authorization: `INTEGRATION-KEY ${KEY}` }, ...module[transport]() });
    return () => http.POST('/tech', { body: TECHNICIAN }).then(check);
  }
  const http = createClient({ baseUrl: url, ...module[transport]() });
  // The same input as the client's: the addresses joined into the one parameter the API takes.
  return () => {
    const query = { emails: GRANT.emails.join(';'), codeExploitant: GRANT.codeExploitant, dateFin: GRANT.dateFin };
    return http.POST('/restapi/technicien/grant-client-access', { params: { query }, headers: { 'X-AUTH-TOKEN': TOKEN } }).then(check);
  };
}

/** The client; without a transport, the Node entry's default (global fetch). @param {string} url @param {TransportName} [transport] */
async function takeControl(url, transport) {
  const module = await importDist('take-control', 'node.js');
  const client = module.createTakeControlClient({ baseUrl: url, integrationKey: KEY, ...(transport && { transport: module[transport]() }) });
  return () => client.createTechnician(TECHNICIAN).then(check);
}

/** @param {string} url @param {TransportName} [transport] */
async function technicien(url, transport) {
  const module = await importDist('technicien', 'node.js');
  const client = module.createTechnicienClient({ baseUrl: url, token: TOKEN, ...(transport && { transport: module[transport]() }) });
  return () => client.grantClientAccess(GRANT).then(check);
}

/** @param {{ error?: unknown }} result */
function check(result) {
  if (result.error) throw new Error(`bench call failed: ${JSON.stringify(result.error)}`);
  return result;
}

/** The built package (a path held in a variable: the type checker does not need dist/ to exist). @param {string} pkg @param {string} file */
function importDist(pkg, file) {
  const target = pathToFileURL(path.join(getApi(pkg).packageDir, 'dist', file)).href;
  return import(target);
}

// ---- child: the server -------------------------------------------------------------------------------
// ---- child: one family, its variants interleaved round by round so that drift hits them alike --------
/** @param {string} family @param {string} url */
async function measure(family, url) {
  const variants = Object.entries(FAMILIES[family] ?? {});
  const calls = await Promise.all(variants.map(async ([name, make]) => /** @type {const} */ ([name, await make(url)])));
  for (const [, call] of calls) for (let i = 0; i < WARMUP_CALLS; i++) await call();

  /** @type {Record<string, Measures>} */
  const results = Object.fromEntries(calls.map(([name]) => [name, { latencyUs: [], cpuUs: [], opsPerSec: [] }]));
  const end = performance.now() + FAMILY_BUDGET_MS;
  for (let round = 0; round < ROUNDS && performance.now() < end; round++) {
    // Each round starts with another variant, so that no variant always pays for the garbage (or the
    // finalizers) the one before it left. No collection is forced: a full GC before each segment leaves a
    // shrunken heap that the next calls pay to regrow (measured: raw fetch 78 -> 139 µs/call), which is
    // not how a client runs, and it hits the variants that allocate more harder than it should.
    const order = [...calls.slice(round % calls.length), ...calls.slice(0, round % calls.length)];
    for (const [name, call] of order) {
      const result = results[name];
      if (!result) continue;
      let start = performance.now();
      const cpu = process.cpuUsage();
      for (let i = 0; i < LATENCY_CALLS; i++) await call();
      result.latencyUs.push(((performance.now() - start) * 1000) / LATENCY_CALLS);
      const used = process.cpuUsage(cpu);
      result.cpuUs.push((used.user + used.system) / LATENCY_CALLS);

      let started = 0;
      start = performance.now();
      const worker = async () => {
        while (started < THROUGHPUT.calls) {
          started++;
          await call();
        }
      };
      await Promise.all(Array.from({ length: THROUGHPUT.inFlight }, worker));
      result.opsPerSec.push(THROUGHPUT.calls / ((performance.now() - start) / 1000));
    }
  }
  process.send?.(results);
  process.disconnect();
}

/** @param {string[]} args @returns {Promise<any>} the child's one message */
function child(args) {
  const process = fork(self, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.kill();
      reject(new Error(`bench child ${args.join(' ')} took too long`));
    }, 120_000);
    process.once('message', (message) => {
      clearTimeout(timer);
      resolve({ message, process });
    });
    process.once('exit', (code) => {
      clearTimeout(timer);
      if (code) reject(new Error(`bench child ${args.join(' ')} exited with ${code}`));
    });
  });
}

// ---- bundle sizes ---------------------------------------------------------------------------------------
/**
 * What each part weighs, minified and gzipped, as the bytes it adds to a bundle that already has what it
 * builds on: the runtime over openapi-fetch, bulk onboarding and the token session over the runtime; and
 * each client's portable entry whole, every method used.
 */
async function bundleSizes() {
  const { build } = await import('esbuild');
  /** @param {string} contents */
  const size = async (contents) => {
    const result = await build({
      stdin: { contents, resolveDir: repoRoot, loader: 'ts' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    return gzipSync(code, { level: 9 }).length;
  };
  const src = (/** @type {string} */ file) => JSON.stringify(path.join(repoRoot, 'packages', file));
  const dist = (/** @type {string} */ pkg) => JSON.stringify(path.join(getApi(pkg).packageDir, 'dist', 'index.js'));
  const openapiFetch = `import createClient from 'openapi-fetch'; const c = createClient({ baseUrl: 'x' });`;
  const runtime = `import { createRuntime } from ${src('client-core/src/index.ts')}; const r = createRuntime();
    const run = () => r.call({ operation: 'o', method: 'POST', secrets: [] }, {}, (a) => c.POST('/tech', { body: {}, ...a }));`;
  const base = await size(`${openapiFetch} export const run = () => c.POST('/tech', { body: {} });`);
  const withRuntime = await size(`${openapiFetch} ${runtime} export { run };`);
  const withBulk = await size(
    `${openapiFetch} ${runtime} import { createInBatches } from ${src('take-control/src/bulk.ts')};
     export const bulk = () => createInBatches([], {}, run); export { run };`,
  );
  const withSession = await size(
    `${openapiFetch} ${runtime} import { loginSession } from ${src('technicien/src/token-session.ts')};
     export const session = loginSession({ secrets: [], login: run }); export { run };`,
  );
  const takeControl = await size(
    `import { createTakeControlClient } from ${dist('take-control')};
     const c = createTakeControlClient({ baseUrl: 'x', integrationKey: 'k' });
     export const run = () => [c.createTechnician({}), c.createTechnicians([]), c.setTechnicianStatus('a', 'enabled')];`,
  );
  const technicienClient = await size(
    `import { createTechnicienClient } from ${dist('technicien')};
     const c = createTechnicienClient({ baseUrl: 'x', credentials: { login: 'l', password: 'p' } });
     export const run = () => [c.authenticate('l', 'p'), c.grantClientAccess({ emails: [], codeExploitant: '', dateFin: '' }), c.updateTechnicien({}, { customerId: 1 })];`,
  );
  return {
    'openapi-fetch and one call': [base, ''],
    'runtime (retries, timeouts, bounded bodies, typed errors)': [withRuntime - base, 'over openapi-fetch'],
    'bulk onboarding (createTechnicians)': [withBulk - withRuntime, 'over the runtime'],
    'token session (technicien logins)': [withSession - withRuntime, 'over the runtime'],
    'take-control, portable entry, every method used': [takeControl, `${takeControl - base} B over openapi-fetch`],
    'technicien, portable entry, every method used': [technicienClient, `${technicienClient - base} B over openapi-fetch`],
  };
}

// ---- main -------------------------------------------------------------------------------------------------
async function main() {
  const server = await child(['--server']);
  const url = server.message.url;
  /** @type {Record<string, Measures>} */
  const results = {};
  try {
    for (const family of Object.keys(FAMILIES)) {
      process.stderr.write(`measuring the ${family} family...\n`);
      Object.assign(results, (await child(['--measure', family, url])).message);
    }
  } finally {
    server.process.kill();
  }

  const latency = (/** @type {string} */ name) => median(results[name]?.latencyUs ?? []);
  const throughput = (/** @type {string} */ name) => median(results[name]?.opsPerSec ?? []);
  /**
   * A ratio between two variants of one family, round by round (the two ran moments apart, so a busy
   * machine slows both alike), then the median. Across families only medians can be compared.
   * @param {string} name @param {string} base @param {keyof Measures} measure
   */
  const ratio = (name, base, measure) => {
    const values = results[name]?.[measure] ?? [];
    const bases = results[base]?.[measure] ?? [];
    if (values.length !== bases.length) return median(values) / median(bases);
    return median(roundRatios(name, base, measure));
  };
  /** @param {string} name @param {string} base @param {keyof Measures} measure */
  const roundRatios = (name, base, measure) => {
    const bases = results[base]?.[measure] ?? [];
    return (results[name]?.[measure] ?? []).map((value, round) => value / (bases[round] ?? NaN));
  };
  /**
   * The middle half of the round-by-round ratios: how far one round strays from the next on this machine.
   * @param {string} name @param {string} base @param {keyof Measures} measure
   */
  const spread = (name, base, measure) => {
    const ratios = roundRatios(name, base, measure);
    const at = (/** @type {number} */ q) => fmt(quantile(ratios, q));
    return `middle half of rounds ${at(0.25)}–${at(0.75)}`;
  };
  const fmt = (/** @type {number} */ n) => n.toFixed(2);
  const rounds = Math.min(...Object.values(results).map((result) => result.latencyUs.length));

  console.log(
    `\nPer call (${LATENCY_CALLS} sequential calls) and throughput (${THROUGHPUT.calls} calls, ${THROUGHPUT.inFlight} in flight), ` +
      `median of ${rounds} interleaved rounds; each ratio is the median of round-by-round ratios to openapi-fetch alone on the same transport:\n`,
  );
  console.log('| variant | µs/call | × openapi-fetch | CPU µs/call | × openapi-fetch | calls/s at 32 | × openapi-fetch |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  /** @type {[string, boolean][]} */
  const targets = [];
  for (const client of ['take-control', 'technicien']) {
    for (const [transport, raw] of [['fetch', 'raw fetch'], ['undici', 'raw undici.request']]) {
      const base = `${client}, openapi-fetch alone, ${transport} transport`;
      const mine = `${client}, client, ${transport} transport`;
      for (const name of [`${client}, ${raw}`, base, mine]) {
        const cpu = median(results[name]?.cpuUs ?? []);
        console.log(
          `| ${name} | ${latency(name).toFixed(0)} | ${fmt(ratio(name, base, 'latencyUs'))} | ${cpu.toFixed(0)} | ${fmt(ratio(name, base, 'cpuUs'))} | ` +
            `${throughput(name).toFixed(0)} | ${fmt(ratio(name, base, 'opsPerSec'))} |`,
        );
      }
      const cpu = ratio(mine, base, 'cpuUs');
      const wall = ratio(mine, base, 'latencyUs');
      const ops = ratio(mine, base, 'opsPerSec');
      const over = `× openapi-fetch alone over ${transport}`;
      targets.push([`${client}, ${transport}: CPU per call ${fmt(cpu)}${over} (${spread(mine, base, 'cpuUs')}; target ≤ 1.05)`, cpu <= 1.05]);
      targets.push([`${client}, ${transport}: latency ${fmt(wall)}${over} (${spread(mine, base, 'latencyUs')}; target ≤ 1.05)`, wall <= 1.05]);
      targets.push([`${client}, ${transport}: throughput at 32 in flight ${fmt(ops)}${over} (${spread(mine, base, 'opsPerSec')}; target ≥ 0.95)`, ops >= 0.95]);
    }
  }
  // The opt-in fast path against the default, medians across the two processes (their rounds do not pair).
  for (const client of ['take-control', 'technicien']) {
    const fast = `${client}, client, undici transport`;
    const byDefault = `${client}, client, fetch transport`;
    const times = throughput(fast) / throughput(byDefault);
    const spreadOf = (/** @type {number} */ q) => fmt(quantile(results[fast]?.opsPerSec ?? [], q) / quantile(results[byDefault]?.opsPerSec ?? [], 1 - q));
    targets.push([
      `${client}: undiciTransport() throughput at 32 in flight ${fmt(times)}× the default (fetch)'s, latency ${fmt(latency(fast) / latency(byDefault))}× ` +
        `(quartiles against quartiles ${spreadOf(0.25)}–${spreadOf(0.75)}; target ≥ 3)`,
      times >= 3,
    ]);
  }

  console.log('\nWhat each part weighs (esbuild --minify, gzip -9; no cap: a change that adds weight shows here):\n');
  console.log('| part | gzipped | |');
  console.log('| --- | ---: | --- |');
  for (const [part, [bytes, note]] of Object.entries(await bundleSizes())) console.log(`| ${part} | ${bytes} B | ${note} |`);

  console.log(`\nTargets (Node ${process.versions.node}):`);
  for (const [label, met] of targets) console.log(`  ${met ? 'met   ' : 'MISSED'} ${label}`);
  if (targets.some(([, met]) => !met)) process.exitCode = 1;
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === '--server') await serveCannedJson();
else if (mode === '--measure') await measure(String(rest[0]), String(rest[1]));
else await main();
