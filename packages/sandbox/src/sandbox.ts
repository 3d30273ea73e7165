// The sandbox on node:http: each API of the core on a server of its own, sharing the core's clock and state.
import { createSandboxCore, type ApiName, type CoreOptions, type SandboxControl } from './core.js';
import { serveApi, type ApiServer } from './http.js';

export { API_NAMES, type ApiName, type SandboxControl, type SandboxState, type SeedData } from './core.js';
export { DEFAULT_JOURNAL_LIMIT } from './journal.js';

export interface SandboxOptions extends CoreOptions {
  /** The first API's port, the next API's is port+1. 0 (default): each on a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
}

export interface Sandbox extends SandboxControl {
  /** Each served API's base URL, e.g. `{ 'take-control': 'http://127.0.0.1:4020', technicien: 'http://127.0.0.1:4021' }`. */
  readonly urls: Partial<Record<ApiName, string>>;
  /** Stops every server and closes their connections. */
  close(): Promise<void>;
}

/** Starts the sandbox: one HTTP server per API, sharing one clock. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { port = 0, host = '127.0.0.1' } = options;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new RangeError(`port must be a port number, got ${port}`);
  const core = createSandboxCore(options);
  const servers: ApiServer[] = [];
  const urls: Partial<Record<ApiName, string>> = {};
  try {
    for (const [index, [api, engine]] of [...core.engines].entries()) {
      const server = await serveApi(engine, host, port === 0 ? 0 : port + index);
      servers.push(server);
      urls[api] = server.url;
    }
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()));
    throw error;
  }
  return {
    ...core.control,
    urls,
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
