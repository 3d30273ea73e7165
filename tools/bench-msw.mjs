// @ts-check
// `npm run bench` (after tools/bench-sandbox.mjs): what the sandbox's MSW handlers cost per call, as CPU time in
// this process (MSW runs in the caller's process: there is no server to measure apart), against the floor: a
// bare MSW handler answering a canned JSON. Both are called by the built Take Control client with its defaults
// (global fetch, intercepted by setupServer), createTechnician with a new email each call, so the sandbox does
// its whole job each time: parse, check the request against the spec, store, check the answer.
// The two are interleaved round by round, each round starting with the other, and the ratio is the median of
// round-by-round ratios, which keeps a busy machine's drift out of it. Every loop is bounded.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { repoRoot } from './apis.mjs';
import { CANNED_REPLY, median, quantile } from './bench-common.mjs';

const ROUNDS = 15;
const CALLS = 300;
const WARMUP_CALLS = 500;
const TARGET = 1.5;
const BUDGET_MS = 60_000;

/** @param {string} relative */
const importBuilt = (relative) => import(pathToFileURL(path.join(repoRoot, relative)).href);
const { createSandboxHandlers } = await importBuilt('packages/sandbox/dist/msw.js');
const { createTakeControlClient } = await importBuilt('packages/take-control/dist/node.js');

const sandbox = createSandboxHandlers({ apis: ['take-control'] });
const bareUrl = 'https://bare.example.test/rest';
const bare = http.post(`${bareUrl}/tech`, () => HttpResponse.json(JSON.parse(CANNED_REPLY)));
const server = setupServer();
server.listen({ onUnhandledRequest: 'error' });

let sequence = 0;
/** @param {string} baseUrl */
function caller(baseUrl) {
  const client = createTakeControlClient({ baseUrl, integrationKey: 'your-private-key', retry: false });
  return async () => {
    const { error } = await client.createTechnician({ email: `bench.${sequence++}@example.com`, name: 'Bench' });
    if (error) throw new Error(`bench call failed: ${error.message}`);
  };
}

/** @type {Record<string, { handlers: any[], call: () => Promise<void>, cpuUs: number[] }>} */
const variants = {
  'bare MSW handler, canned JSON': { handlers: [bare], call: caller(bareUrl), cpuUs: [] },
  "sandbox's MSW handlers": { handlers: sandbox.handlers, call: caller(sandbox.urls['take-control']), cpuUs: [] },
};

try {
  for (const variant of Object.values(variants)) {
    server.resetHandlers(...variant.handlers);
    for (let i = 0; i < WARMUP_CALLS; i++) await variant.call();
  }
  const entries = Object.values(variants);
  const end = performance.now() + BUDGET_MS;
  for (let round = 0; round < ROUNDS && performance.now() < end; round++) {
    sandbox.reset(); // the store's size stays that of one round
    for (const variant of round % 2 ? [...entries].reverse() : entries) {
      server.resetHandlers(...variant.handlers);
      const cpu = process.cpuUsage();
      for (let i = 0; i < CALLS; i++) await variant.call();
      const used = process.cpuUsage(cpu);
      variant.cpuUs.push((used.user + used.system) / CALLS);
    }
  }
} finally {
  server.close();
}

const [floor, mine] = Object.values(variants);
const ratios = (mine?.cpuUs ?? []).map((value, round) => value / (floor?.cpuUs[round] ?? NaN));
const ratio = median(ratios);
const fmt = (/** @type {number} */ n) => n.toFixed(2);
console.log(`\nMSW in process, createTechnician through the Take Control client's default (${CALLS} sequential calls per round, median of ${ratios.length} interleaved rounds):\n`);
console.log('| handler | CPU µs/call | × bare handler |');
console.log('| --- | ---: | ---: |');
for (const [name, variant] of Object.entries(variants)) {
  const perRound = variant.cpuUs.map((value, round) => value / (floor?.cpuUs[round] ?? NaN));
  console.log(`| ${name} | ${median(variant.cpuUs).toFixed(0)} | ${fmt(median(perRound))} |`);
}
console.log(`\nTargets (Node ${process.versions.node}):`);
console.log(
  `  ${ratio <= TARGET ? 'met   ' : 'MISSED'} the sandbox's MSW handlers: CPU per call ${fmt(ratio)}× a bare MSW handler's ` +
    `(middle half of rounds ${fmt(quantile(ratios, 0.25))}–${fmt(quantile(ratios, 0.75))}; target ≤ ${TARGET})`,
);
if (!(ratio <= TARGET)) process.exitCode = 1;
