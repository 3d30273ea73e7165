// @ts-check
// A real HTTP server on 127.0.0.1 and a free port, for tests that need a server to behave in a way the
// mock cannot (count logins, revoke tokens, read a GET body, misbehave on purpose).
import { once } from 'node:events';
import { createServer } from 'node:http';

/**
 * @typedef {object} LocalServer
 * @property {string} url  e.g. http://127.0.0.1:38211
 * @property {() => Promise<void>} close  stops it, dropping open connections
 *
 * @typedef {object} ReceivedRequest
 * @property {string} method
 * @property {URL} url
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {string} body  the whole request body, as text
 */

/**
 * @param {(request: ReceivedRequest, response: import('node:http').ServerResponse) => void | Promise<void>} handle
 * @returns {Promise<LocalServer>}
 */
export async function startLocalServer(handle) {
  const server = createServer(async (incoming, response) => {
    const chunks = [];
    for await (const chunk of incoming) chunks.push(chunk);
    const request = {
      method: incoming.method ?? 'GET',
      url: new URL(incoming.url ?? '/', 'http://127.0.0.1'),
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    try {
      await handle(request, response);
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** @param {import('node:http').ServerResponse} response @param {number} status @param {unknown} body */
export function sendJson(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json;charset=utf-8' }).end(JSON.stringify(body));
}
