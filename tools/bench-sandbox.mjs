// @ts-check
// `npm run bench` (after tools/bench.mjs): the sandbox's cost as a server, in one run, side by side with
//   - `prism mock` on the same bundled spec (the stateless mock it stands beside), and
//   - a bare node:http server answering the same canned JSON (the floor on this machine),
// at 32 requests in flight: throughput, p50/p99 latency, and how far one round strays from the next.
// The request is Take Control's createTechnician with a new email each time, so the sandbox does its
// whole job on every call: parse, check the request against the spec, store, journal it (credentials
// redacted), show it to the client watches, check the answer. The sandbox runs twice: with its journal on
// (the default, the target) and off (journalLimit 0), which tells what the journal costs.
// Then memory: a fresh sandbox holding 100,000 technicians and a full journal (10,000 requests: POST
// /tech/bulk of 10 technicians each), its RSS.
//
// Each server runs in a process of its own; the load generator (undici, one pool of 32 connections per
// server) runs here. The targets are interleaved round by round, each round starting with another, and
// ratios are medians of round-by-round ratios, which keeps a busy machine's drift out of them.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getApi, repoRoot } from './apis.mjs';
import { quantile, serveCannedJson } from './bench-common.mjs';
import { startMock } from './mock-server.mjs';

const self = fileURLToPath(import.meta.url);
const ROUNDS = 12;
/** Calls per round and target; Prism's fewer, its rounds would otherwise take most of the run. */
const CALLS = { default: 5_000, prism: 1_000 };
const IN_FLIGHT = 32;
const WARMUP_CALLS = 1_000;
const STORED = 100_000;
/** Technicians per bulk request when storing: STORED / this requests, enough to fill the default journal. */
const PER_BULK = 10;
const KEY = 'your-private-key';
const targets = { throughput: 0.75, rssMb: 200 };

/** @returns {Promise<import('../packages/sandbox/src/index.js')>} the built package, as a user gets it */
function importSandbox() {
  return import(pathToFileURL(path.join(repoRoot, 'packages/sandbox/dist/index.js')).href);
}

// ---- children: the servers ----------------------------------------------------------------------------
async function serveBare() {
  await serveCannedJson();
  answerCpu();
}

/** A server child tells its CPU time when asked: the server's own cost per call, whatever the load generator costs. */
function answerCpu() {
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  });
}

/** @param {{ journalLimit?: number }} options */
async function serveSandbox(options) {
  const { startSandbox } = await importSandbox();
  const sandbox = await startSandbox({ apis: ['take-control'], ...options });
  process.send?.({ url: sandbox.urls['take-control'] });
  answerCpu();
  process.on('message', (message) => {
    if (message !== 'memory') return;
    const memory = process.memoryUsage(); // before the copies that state() and requests() make
    process.send?.({ memory, stored: sandbox.state()['take-control']?.technicians.length, journal: sandbox.requests().length, findings: sandbox.findings().length });
  });
  process.on('disconnect', () => process.exit(0));
}

/** @param {string} mode @returns {Promise<{ url: string, child: import('node:child_process').ChildProcess }>} */
async function child(mode) {
  const process = fork(self, [mode], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = /** @type {[{ url: string }]} */ (await Promise.race([once(process, 'message'), once(process, 'exit').then(() => Promise.reject(new Error(`${mode} exited`)))]));
  return { url: message.url, child: process };
}

// ---- the load ---------------------------------------------------------------------------------------------
let sequence = 0;

/**
 * `calls` createTechnician requests, `IN_FLIGHT` at a time, each with a new email.
 * @param {import('undici').Pool} pool @param {number} calls
 * @returns {Promise<{ opsPerSec: number, latenciesMs: number[] }>}
 */
async function load(pool, calls) {
  /** @type {number[]} */
  const latenciesMs = [];
  let started = 0;
  const worker = async () => {
    while (started < calls) {
      started++;
      const body = `{"email":"bench.${++sequence}@example.com","name":"Bench Technician","profile":"admin","language":"en"}`;
      const at = performance.now();
      const response = await pool.request({
        path: '/tech',
        method: 'POST',
        headers: { authorization: `INTEGRATION-KEY ${KEY}`, 'content-type': 'application/json' },
        body,
      });
      const text = await response.body.text();
      latenciesMs.push(performance.now() - at);
      if (response.statusCode !== 200) throw new Error(`bench request answered ${response.statusCode}: ${text}`);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { opsPerSec: calls / ((performance.now() - start) / 1000), latenciesMs };
}

/** @param {import('node:child_process').ChildProcess} process @returns {Promise<number>} its CPU time so far, in µs */
async function cpuOf(process) {
  process.send('cpu');
  const [message] = /** @type {[{ cpu?: NodeJS.CpuUsage }]} */ (await once(process, 'message'));
  return (message.cpu?.user ?? 0) + (message.cpu?.system ?? 0);
}

/** Asks the sandbox child for its memory, after the state settled. @param {import('node:child_process').ChildProcess} process */
async function memoryOf(process) {
  process.send('memory');
  const [message] = /** @type {[{ memory: NodeJS.MemoryUsage, stored: number, journal: number, findings: number }]} */ (await once(process, 'message'));
  return message;
}

// ---- main -------------------------------------------------------------------------------------------------
async function main() {
  const { Pool } = await import('undici');
  const prism = await startMock({ specFile: getApi('take-control').bundledYaml });
  const bare = await child('--bare');
  const sandbox = await child('--sandbox');
  const unjournaled = await child('--sandbox-no-journal');
  /** @typedef {{ pool: import('undici').Pool, child?: import('node:child_process').ChildProcess, opsPerSec: number[], latenciesMs: number[], cpuUsPerCall: number[] }} Target */
  /** @param {string} url @param {import('node:child_process').ChildProcess} [child] @returns {Target} */
  const target = (url, child) => ({ pool: new Pool(url, { connections: IN_FLIGHT }), child, opsPerSec: [], latenciesMs: [], cpuUsPerCall: [] });
  /** @type {Record<string, Target>} */
  const servers = {
    'bare node:http, canned JSON': target(bare.url, bare.child),
    'sandbox, validation and journal on': target(sandbox.url, sandbox.child),
    'sandbox, journal off': target(unjournaled.url, unjournaled.child),
    'prism mock, same spec': target(prism.url), // its CPU is spread over its own processes: not measured
  };
  const names = Object.keys(servers);
  try {
    process.stderr.write(`warming up (${WARMUP_CALLS} calls each)...\n`);
    for (const server of Object.values(servers)) await load(server.pool, WARMUP_CALLS);
    for (let round = 0; round < ROUNDS; round++) {
      process.stderr.write(`round ${round + 1}/${ROUNDS}\n`);
      const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)];
      for (const name of order) {
        const server = servers[name];
        if (!server) continue;
        const calls = name.startsWith('prism') ? CALLS.prism : CALLS.default;
        const cpuBefore = server.child ? await cpuOf(server.child) : 0;
        const { opsPerSec, latenciesMs } = await load(server.pool, calls);
        if (server.child) server.cpuUsPerCall.push(((await cpuOf(server.child)) - cpuBefore) / calls);
        server.opsPerSec.push(opsPerSec);
        server.latenciesMs.push(...latenciesMs);
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.pool.close()));
    await prism.stop();
    bare.child.kill();
    sandbox.child.kill();
    unjournaled.child.kill();
  }

  const bareName = 'bare node:http, canned JSON';
  /** Round-by-round ratios to the bare server's throughput. @param {string} name */
  const ratios = (name) => (servers[name]?.opsPerSec ?? []).map((ops, round) => ops / (servers[bareName]?.opsPerSec[round] ?? NaN));
  const fmt = (/** @type {number} */ n, digits = 2) => n.toFixed(digits);
  console.log(
    `\nSandbox vs Prism vs a bare server: Take Control createTechnician (a new email each call), ${CALLS.default} calls per round at ` +
      `${IN_FLIGHT} in flight (Prism ${CALLS.prism}), ${ROUNDS} interleaved rounds; latencies over all rounds. Load average ` +
      `${loadavg().map((load) => load.toFixed(1)).join(' / ')} (1 / 5 / 15 min) on ${availableParallelism()} cores: the load generator shares them.\n`,
  );
  console.log('| server | calls/s (median) | rounds, middle half | × bare | × bare, middle half of rounds | p50 ms | p99 ms | server CPU µs/call |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const name of names) {
    const server = servers[name];
    if (!server) continue;
    const ratio = ratios(name);
    console.log(
      `| ${name} | ${fmt(quantile(server.opsPerSec, 0.5), 0)} | ${fmt(quantile(server.opsPerSec, 0.25), 0)}–${fmt(quantile(server.opsPerSec, 0.75), 0)} | ` +
        `${fmt(quantile(ratio, 0.5))} | ${fmt(quantile(ratio, 0.25))}–${fmt(quantile(ratio, 0.75))} | ` +
        `${fmt(quantile(server.latenciesMs, 0.5), 1)} | ${fmt(quantile(server.latenciesMs, 0.99), 1)} | ` +
        `${server.cpuUsPerCall.length > 0 ? fmt(quantile(server.cpuUsPerCall, 0.5), 0) : '—'} |`,
    );
  }
  const sandboxShare = quantile(ratios('sandbox, validation and journal on'), 0.5);
  const overPrism = quantile(
    (servers['sandbox, validation and journal on']?.opsPerSec ?? []).map((ops, round) => ops / (servers['prism mock, same spec']?.opsPerSec[round] ?? NaN)),
    0.5,
  );

  process.stderr.write(`memory: storing ${STORED} technicians in a fresh sandbox, ${PER_BULK} per request...\n`);
  const fresh = await child('--sandbox');
  const pool = new Pool(fresh.url, { connections: 4 });
  let memory;
  try {
    let next = 0;
    const storer = async () => {
      while (next < STORED) {
        const first = next;
        next += PER_BULK;
        const technicians = Array.from({ length: PER_BULK }, (_, index) => ({
          email: `stored.${first + index}@example.com`,
          name: `Stored Technician ${first + index}`,
          profile: 'support',
          language: 'fr',
          timezone: 'Europe/Paris',
        }));
        const response = await pool.request({ path: '/tech/bulk', method: 'POST', headers: { authorization: `INTEGRATION-KEY ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(technicians) });
        const text = await response.body.text();
        if (response.statusCode !== 200) throw new Error(`bulk answered ${response.statusCode}: ${text.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: 4 }, storer));
    memory = await memoryOf(fresh.child);
  } finally {
    await pool.close();
    fresh.child.kill();
  }
  const rssMb = memory.memory.rss / 1024 / 1024;
  console.log(
    `\nMemory: ${memory.stored} technicians stored (each created through POST /tech/bulk, ${PER_BULK} per request) and ` +
      `${memory.journal} requests in the journal (${memory.findings} findings): RSS ${fmt(rssMb, 1)} MB, heap used ${fmt(memory.memory.heapUsed / 1024 / 1024, 1)} MB.`,
  );

  console.log('\nTargets:');
  console.log(`  ${sandboxShare >= targets.throughput ? 'met   ' : 'MISSED'} sandbox throughput ${fmt(sandboxShare)}× the bare server's (target ≥ ${targets.throughput}); ${fmt(overPrism)}× Prism's`);
  const journalCost = quantile(
    (servers['sandbox, validation and journal on']?.opsPerSec ?? []).map((ops, round) => ops / (servers['sandbox, journal off']?.opsPerSec[round] ?? NaN)),
    0.5,
  );
  console.log(`  (info) the journal on keeps ${fmt(journalCost)}× the throughput of the same sandbox with it off`);
  console.log(`  ${rssMb <= targets.rssMb ? 'met   ' : 'MISSED'} ${memory.stored} technicians and a journal of ${memory.journal} requests in ${fmt(rssMb, 1)} MB RSS (target ≤ ${targets.rssMb} MB)`);
  if (sandboxShare < targets.throughput || rssMb > targets.rssMb) process.exitCode = 1;
}

const [mode] = process.argv.slice(2);
if (mode === '--bare') await serveBare();
else if (mode === '--sandbox') await serveSandbox({});
else if (mode === '--sandbox-no-journal') await serveSandbox({ journalLimit: 0 });
else await main();
