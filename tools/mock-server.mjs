// @ts-check
// Starts and stops Prism: mock servers of a spec, and validation proxies in front of a real server.
// Prism runs from node_modules/.bin in a process group of its own (detached), and is stopped by
// signalling the whole group: killing only a wrapper (as with `npx prism`) would leave Prism's own child
// running and the port taken.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './apis.mjs';

const prismBin = join(repoRoot, 'node_modules/.bin/prism');

/**
 * @typedef {object} MockServer
 * @property {string} url   e.g. http://127.0.0.1:4010
 * @property {number} port
 * @property {() => Promise<void>} stop  stops Prism and every process it started
 */

/** @returns {Promise<number>} a port that was free on 127.0.0.1 a moment ago */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not read the free port');
  return address.port;
}

/**
 * Serves `specFile` with Prism's mock on 127.0.0.1.
 * @param {{ specFile: string, port?: number, host?: string, timeoutMs?: number }} options  port 0 or absent: a free one
 * @returns {Promise<MockServer>}
 */
export async function startMock({ specFile, port = 0, host = '127.0.0.1', timeoutMs = 30_000 }) {
  return startPrism(['mock', specFile], port, host, timeoutMs);
}

/**
 * Prism's validation proxy on 127.0.0.1: each request is checked against `specFile`, forwarded to
 * `target` (its base path kept: `https://host/rest` + `/tech`), and the response checked on its way
 * back. With `errors` (the default), a violation becomes Prism's error response (422 for a request,
 * 500 for a response, with the findings in `validation[]`); without, the `sl-violations` header lists them.
 * Prism's proxy refuses a GET or HEAD with a body (501 PROXY_UNSUPPORTED_REQUEST_BODY, Prism issue #2259).
 * @param {{ specFile: string, target: string, errors?: boolean, port?: number, host?: string, timeoutMs?: number }} options
 * @returns {Promise<MockServer>}
 */
export async function startProxy({ specFile, target, errors = true, port = 0, host = '127.0.0.1', timeoutMs = 30_000 }) {
  return startPrism(['proxy', specFile, target, ...(errors ? ['--errors'] : [])], port, host, timeoutMs);
}

/** @param {string[]} args  Prism's command and its arguments @param {number} port @param {string} host @param {number} timeoutMs */
async function startPrism(args, port, host, timeoutMs) {
  const attempts = port === 0 ? 3 : 1;
  let lastError;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await startOnce(args, port === 0 ? await freePort() : port, host, timeoutMs);
    } catch (error) {
      lastError = error; // most likely another process took the free port first: try another
    }
  }
  throw lastError;
}

/** @param {string[]} args @param {number} port @param {string} host @param {number} timeoutMs */
async function startOnce(args, port, host, timeoutMs) {
  const child = spawn(prismBin, [...args, '--host', host, '--port', String(port)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start Prism (${args.join(' ')})`);
  const exited = once(child, 'exit');
  let output = '';
  const url = `http://${host}:${port}`;

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(pid, 'SIGTERM');
    const killer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
    // Prism's own children share the group: make sure none outlives it.
    signalGroup(pid, 'SIGKILL');
  };

  const ready = new Promise((resolve, reject) => {
    const onData = (/** @type {Buffer} */ chunk) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) resolve(undefined);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`Prism exited (code ${code}) before listening on ${url}:\n${output}`)));
    setTimeout(() => reject(new Error(`Prism did not listen on ${url} within ${timeoutMs} ms:\n${output}`)), timeoutMs).unref();
  });
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  // Keep draining Prism's log so that a full pipe never blocks it; no one reads it any more.
  child.stdout.removeAllListeners('data').resume();
  child.stderr.removeAllListeners('data').resume();
  child.unref();
  return { url, port, stop };
}

/** @param {number} pid @param {NodeJS.Signals} signal */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}
