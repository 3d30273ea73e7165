// @ts-check
// What the benches share: the floor they measure against (a bare node:http server answering a canned JSON,
// in a child process of its own) and the order statistics their figures are made of.
import { once } from 'node:events';
import { createServer } from 'node:http';

/** Take Control's success envelope: the bare server's answer to every request. */
export const CANNED_REPLY = JSON.stringify({ result: 'SUCCESS', details: {}, errorDetails: null });

/**
 * In a benchmark's server child: listens on a free port of 127.0.0.1, answers every request with the canned
 * JSON once its body is read, tells the parent its URL over IPC, and exits when the parent goes.
 * @returns {Promise<void>}
 */
export async function serveCannedJson() {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(CANNED_REPLY) });
      response.end(CANNED_REPLY);
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

/** The value below which a share `q` (0..1) of `values` lies (nearest rank, no interpolation). @param {number[]} values @param {number} q */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * q))] ?? NaN;
}

/** @param {number[]} values */
export const median = (values) => quantile(values, 0.5);
