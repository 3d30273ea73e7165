// The sandbox's engines on node:http: one server per API. It reads the body (refusing one past the limit with
// a 413), hands the request to the API's engine, and writes its outcome, or closes the connection for a drop.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiEngine } from './engine.js';

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

/** Bodies past this are refused: the sandbox holds what it is sent. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function serveApi(engine: ApiEngine, host: string, port: number): Promise<ApiServer> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      const write = ({ status, headers, text }: { status: number; headers: Record<string, string>; text: string }) => {
        if (text !== '') headers['content-length'] = String(Buffer.byteLength(text));
        response.writeHead(status, headers);
        response.end(text);
      };
      if (size > MAX_BODY_BYTES) return write(engine.errorAnswer(413, `The body is larger than ${MAX_BODY_BYTES} bytes`, { connection: 'close' }));
      const body = chunks.length === 0 ? EMPTY : chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      try {
        engine.handle({ method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, body }, (outcome) => {
          if (outcome === 'drop') request.socket.destroy();
          else write(outcome);
        });
      } catch (error) {
        console.error('[techapi-sandbox]', error);
        response.destroy();
      }
    });
  });
  await listen(server, port, host);
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const EMPTY = new Uint8Array(0);

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
