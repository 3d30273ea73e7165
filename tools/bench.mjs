// @ts-check
// `npm run bench`: what each client costs over the wire it uses, measured in one run against a local
// node:http server on 127.0.0.1, printed as ratios; and each client's runtime bundle size.
//
// The server runs in its own process; global fetch's variants and undici's run in two more, so that
// undici's global dispatcher (replaced when the npm undici package loads) never touches the fetch figures.
// Within a process the variants are interleaved round by round and the median kept, which keeps a busy
// machine's drift out of the ratios. Every loop is bounded in count and in time.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { getApi, repoRoot } from './apis.mjs';

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
const REPLY = JSON.stringify({ result: 'SUCCESS', details: {}, errorDetails: null });

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
 * Two families, each measured in its own process: global fetch's, and undici's (importing the npm undici
 * package replaces the dispatcher Node's fetch uses, so it must not run beside the fetch measurements).
 * Each variant is a function that makes one call and resolves once its body is parsed.
 * @type {Record<string, Record<string, (url: string) => Promise<() => Promise<unknown>>>>}
 */
const FAMILIES = {
  fetch: {
    'take-control, raw fetch': async (url) => rawFetch(exchanges(url)['take-control']),
    'take-control, raw fetch with a timeout signal': async (url) => rawFetch(exchanges(url)['take-control'], true),
    'take-control, default transport': (url) => takeControl(url, false),
    'take-control, default transport, 30 s timeout': (url) => takeControl(url, false, 30_000),
    'technicien, raw fetch': async (url) => rawFetch(exchanges(url).technicien),
    'technicien, raw fetch with a timeout signal': async (url) => rawFetch(exchanges(url).technicien, true),
    'technicien, default transport': (url) => technicien(url, false),
    'technicien, default transport, 30 s timeout': (url) => technicien(url, false, 30_000),
  },
  undici: {
    'take-control, raw undici.request': (url) => rawUndici(exchanges(url)['take-control']),
    'take-control, undici transport': (url) => takeControl(url, true),
    'technicien, raw undici.request': (url) => rawUndici(exchanges(url).technicien),
    'technicien, undici transport': (url) => technicien(url, true),
  },
};

/** @typedef {{ url: string, headers: Record<string, string>, body: () => string | undefined }} Exchange */
/**
 * Per round: wall time per sequential call, the client process's CPU time per sequential call (what a
 * call costs, whatever else the machine is doing), calls per second at 32 in flight.
 * @typedef {{ latencyUs: number[], cpuUs: number[], opsPerSec: number[] }} Measures
 */

/**
 * Raw fetch, and (with `timeout`) the same call made cancellable the way the runtime does it: an
 * AbortController aborted by a timer that is cleared once the body is read.
 * @param {Exchange} exchange @param {boolean} [timeout]
 */
function rawFetch({ url, headers, body }, timeout = false) {
  if (!timeout) return () => fetch(url, { method: 'POST', headers, body: body() }).then((response) => response.json());
  return async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    try {
      const response = await fetch(url, { method: 'POST', headers, body: body(), signal: controller.signal });
      return await response.json();
    } finally {
      clearTimeout(timer);
    }
  };
}

/** @param {Exchange} exchange */
async function rawUndici({ url, headers, body }) {
  const { request } = await import('undici');
  return () => request(url, { method: 'POST', headers, body: body() }).then((response) => response.body.json());
}

/**
 * The runtime options of a variant, the same for both clients.
 * @param {{ undiciTransport: () => unknown }} module @param {boolean} undici @param {number} [timeoutMs]
 */
function runtimeOptions(module, undici, timeoutMs) {
  return { ...(undici && { transport: module.undiciTransport() }), ...(timeoutMs !== undefined && { timeoutMs }) };
}

/** @param {string} url @param {boolean} undici @param {number} [timeoutMs] */
async function takeControl(url, undici, timeoutMs) {
  const module = await importDist('take-control', 'node.js');
  const client = module.createTakeControlClient({ baseUrl: url, integrationKey: KEY, ...runtimeOptions(module, undici, timeoutMs) });
  return () => client.createTechnician(TECHNICIAN).then(check);
}

/** @param {string} url @param {boolean} undici @param {number} [timeoutMs] */
async function technicien(url, undici, timeoutMs) {
  const module = await importDist('technicien', 'node.js');
  const client = module.createTechnicienClient({ baseUrl: url, token: TOKEN, ...runtimeOptions(module, undici, timeoutMs) });
  return () => client.grantClientAccess(GRANT).then(check);
}

/** @param {{ error?: { message: string } }} result */
function check(result) {
  if (result.error) throw new Error(`bench call failed: ${result.error.message}`);
  return result;
}

/** The built package (a path held in a variable: the type checker does not need dist/ to exist). @param {string} pkg @param {string} file */
function importDist(pkg, file) {
  const target = pathToFileURL(path.join(getApi(pkg).packageDir, 'dist', file)).href;
  return import(target);
}

// ---- child: the server -------------------------------------------------------------------------------
async function serve() {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(REPLY) });
      response.end(REPLY);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.send?.({ url: `http://127.0.0.1:${address.port}` });
  process.on('disconnect', () => process.exit(0));
}

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

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

// ---- bundle sizes ---------------------------------------------------------------------------------------
async function bundleSizes() {
  const { build } = await import('esbuild');
  /** @param {string} contents */
  const size = async (contents) => {
    const result = await build({
      stdin: { contents, resolveDir: repoRoot, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
  };
  const dist = (/** @type {string} */ pkg) => JSON.stringify(path.join(getApi(pkg).packageDir, 'dist', 'index.js'));
  const base = await size(
    `import createClient from 'openapi-fetch'; const c = createClient({ baseUrl: 'x' }); export const run = () => c.POST('/tech', { body: {} });`,
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
  return { base, clients: { 'take-control': takeControl, technicien: technicienClient } };
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
    const sorted = roundRatios(name, base, measure).sort((a, b) => a - b);
    const at = (/** @type {number} */ q) => fmt(sorted[Math.floor((sorted.length - 1) * q)] ?? NaN);
    return `middle half of rounds ${at(0.25)}–${at(0.75)}`;
  };
  const fmt = (/** @type {number} */ n) => n.toFixed(2);
  const rounds = Math.min(...Object.values(results).map((result) => result.latencyUs.length));

  console.log(
    `\nPer call (${LATENCY_CALLS} sequential calls) and throughput (${THROUGHPUT.calls} calls, ${THROUGHPUT.inFlight} in flight), ` +
      `median of ${rounds} interleaved rounds; ratios within a family are medians of round-by-round ratios:\n`,
  );
  console.log('| variant | µs/call | × raw fetch | × raw undici | CPU µs/call | × raw, same wire | calls/s | × raw fetch | × raw undici |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  /** @type {[string, boolean][]} */
  const targets = [];
  for (const client of ['take-control', 'technicien']) {
    const fetchUs = latency(`${client}, raw fetch`);
    const undiciUs = latency(`${client}, raw undici.request`);
    const fetchOps = throughput(`${client}, raw fetch`);
    const undiciOps = throughput(`${client}, raw undici.request`);
    const rawFetch = `${client}, raw fetch`;
    const rawUndici = `${client}, raw undici.request`;
    const variants = ['raw fetch', 'raw fetch with a timeout signal', 'raw undici.request', 'default transport', 'default transport, 30 s timeout', 'undici transport'];
    for (const variant of variants) {
      const name = `${client}, ${variant}`;
      const us = latency(name);
      const ops = throughput(name);
      const sameFamily = FAMILIES.fetch?.[name] ? rawFetch : rawUndici;
      const vsFetch = (/** @type {'latencyUs' | 'opsPerSec'} */ m) => (sameFamily === rawFetch ? ratio(name, rawFetch, m) : m === 'latencyUs' ? us / fetchUs : ops / fetchOps);
      const vsUndici = (/** @type {'latencyUs' | 'opsPerSec'} */ m) => (sameFamily === rawUndici ? ratio(name, rawUndici, m) : m === 'latencyUs' ? us / undiciUs : ops / undiciOps);
      const cpu = median(results[name]?.cpuUs ?? []);
      console.log(
        `| ${name} | ${us.toFixed(0)} | ${fmt(vsFetch('latencyUs'))} | ${fmt(vsUndici('latencyUs'))} | ${cpu.toFixed(0)} | ${fmt(ratio(name, sameFamily, 'cpuUs'))} | ` +
          `${ops.toFixed(0)} | ${fmt(vsFetch('opsPerSec'))} | ${fmt(vsUndici('opsPerSec'))} |`,
      );
    }
    const perCall = ratio(`${client}, default transport`, rawFetch, 'cpuUs');
    const latencyRatio = ratio(`${client}, default transport`, rawFetch, 'latencyUs');
    const share = ratio(`${client}, undici transport`, rawUndici, 'opsPerSec');
    targets.push([
      `${client}: default transport costs ${fmt(perCall)}× raw fetch's CPU per call (${spread(`${client}, default transport`, rawFetch, 'cpuUs')}), ` +
        `latency ${fmt(latencyRatio)}× (target ≤ 1.10)`,
      perCall <= 1.1,
    ]);
    targets.push([
      `${client}: undici transport ${fmt(share)}× raw undici.request throughput (${spread(`${client}, undici transport`, rawUndici, 'opsPerSec')}; target ≥ 0.70)`,
      share >= 0.7,
    ]);
  }

  const sizes = await bundleSizes();
  console.log('\nRuntime bundle of the portable entry, every method used (esbuild --minify, gzip -9):\n');
  console.log('| bundle | minified | gzipped | added to openapi-fetch, gzipped |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(`| openapi-fetch alone | ${sizes.base.min} B | ${sizes.base.gzip} B | |`);
  for (const [name, size] of Object.entries(sizes.clients)) {
    const added = size.gzip - sizes.base.gzip;
    console.log(`| ${name} | ${size.min} B | ${size.gzip} B | ${added} B |`);
    targets.push([`${name}: adds ${added} B gzipped to openapi-fetch (target ≤ 2048)`, added <= 2048]);
  }

  console.log('\nTargets:');
  for (const [label, met] of targets) console.log(`  ${met ? 'met   ' : 'MISSED'} ${label}`);
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === '--server') await serve();
else if (mode === '--measure') await measure(String(rest[0]), String(rest[1]));
else await main();
