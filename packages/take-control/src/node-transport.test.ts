import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Dispatcher, MockAgent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendJson, startLocalServer, type LocalServer, type ReceivedRequest } from '../../../tools/testing/local-server.mjs';
import { createTakeControlClient as createPortableClient } from './index.js';
import { createTakeControlClient, undiciTransport, type TakeControlClientOptions } from './node.js';

// Which transport carries a call, seen from a real server on loopback: global fetch always sends
// `sec-fetch-mode: cors` (the Fetch standard's request mode), undici's `request()` never does. The default is
// global fetch, so that the test doubles Node users have (MSW, a replaced fetch, MockAgent) see each call.
let server: LocalServer;
const received: ReceivedRequest[] = [];
beforeAll(async () => {
  server = await startLocalServer((request, response) => {
    received.push(request);
    sendJson(response, 200, { result: 'SUCCESS' });
  });
});
afterAll(() => server.close());
beforeEach(() => {
  received.length = 0;
});

const viaFetch = () => received.map((request) => request.headers['sec-fetch-mode'] !== undefined);
const options = (extra: Partial<TakeControlClientOptions> = {}): TakeControlClientOptions => ({
  baseUrl: server.url,
  integrationKey: 'key-node-transport',
  ...extra,
});
const technician = { email: 'john.doe@example.com', name: 'John Doe' };

/** A global dispatcher that counts what goes through it, then hands it to the one it replaced. */
class CountingDispatcher extends Dispatcher {
  count = 0;
  constructor(readonly inner: Dispatcher) {
    super();
  }
  override dispatch(request: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.count++;
    return this.inner.dispatch(request, handler);
  }
}

/** Runs `body` with `dispatcher` installed globally, then puts the previous one back. */
async function withGlobalDispatcher<T>(dispatcher: Dispatcher, body: () => Promise<T>): Promise<T> {
  const previous = getGlobalDispatcher();
  setGlobalDispatcher(dispatcher);
  try {
    return await body();
  } finally {
    setGlobalDispatcher(previous);
  }
}

describe("the Node entry's default transport", () => {
  it('is global fetch, looked up at each call: a fetch replaced after the client was made is the one called', async () => {
    const client = createTakeControlClient(options());
    const original = globalThis.fetch;
    const replaced = vi.fn((input: string | URL | Request, init?: RequestInit) => original(input, init));
    globalThis.fetch = replaced;
    try {
      expect((await client.createTechnician(technician)).error).toBeUndefined();
      expect((await client.setTechnicianStatus(technician.email, 'disabled')).error).toBeUndefined();
    } finally {
      globalThis.fetch = original;
    }
    expect(replaced).toHaveBeenCalledTimes(2);
    expect(replaced.mock.calls.map(([url]) => String(url))).toEqual([`${server.url}/tech`, `${server.url}/tech/john.doe%40example.com`]);
    expect(viaFetch()).toEqual([true, true]);
  });

  it('sets no timeout of its own unless asked: a call leaves no timer', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timers();
    const pending = createTakeControlClient(options()).createTechnician(technician);
    expect(timers()).toBe(before);
    expect((await pending).error).toBeUndefined();
  });

  it('honours a MockAgent installed with setGlobalDispatcher: nothing leaves the process', async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock.get('https://api.us0.swi-rc.invalid').intercept({ path: '/rest/tech', method: 'POST' }).reply(200, { result: 'MOCKED' });
    const result = await withGlobalDispatcher(mock, () =>
      createTakeControlClient(options({ baseUrl: 'https://api.us0.swi-rc.invalid/rest' })).createTechnician(technician),
    );
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ result: 'MOCKED' });
    mock.assertNoPendingInterceptors();
    await mock.close();
  });

  it("is seen by MSW's setupServer; undiciTransport() is not: its call reaches the real server, unreported", async () => {
    const answered: string[] = [];
    const msw = setupServer(
      http.all(`${server.url}/*`, ({ request }) => {
        answered.push(`${request.method} ${new URL(request.url).pathname}`);
        return HttpResponse.json({ result: 'FROM MSW' });
      }),
    );
    const unhandled: string[] = [];
    msw.events.on('request:unhandled', ({ request }) => unhandled.push(request.url));
    msw.listen({ onUnhandledRequest: 'error' });
    try {
      const viaDefault = await createTakeControlClient(options()).createTechnician(technician);
      expect(viaDefault.data).toEqual({ result: 'FROM MSW' });
      const viaUndici = await createTakeControlClient(options({ transport: undiciTransport() })).createTechnician(technician);
      expect(viaUndici.data).toEqual({ result: 'SUCCESS' }); // the loopback server's answer, not MSW's
    } finally {
      msw.close();
    }
    expect(answered).toEqual(['POST /tech']);
    expect(unhandled).toEqual([]);
    expect(viaFetch()).toEqual([false]); // only undici's call reached the server
  });

  it('`fetch` wins over it', async () => {
    let calls = 0;
    const client = createTakeControlClient(
      options({
        fetch: (request) => {
          calls++;
          return fetch(request);
        },
      }),
    );
    expect((await client.createTechnician(technician)).error).toBeUndefined();
    expect(calls).toBe(1);
    expect(viaFetch()).toEqual([true]);
  });

  it('`transport: undiciTransport()` wins over it, `fetch` or not, through the global dispatcher', async () => {
    let sent = 0;
    const undici = undiciTransport();
    const counted = { ...undici, fetch: (...args: Parameters<typeof undici.fetch>) => (sent++, undici.fetch(...args)) };
    const counting = new CountingDispatcher(getGlobalDispatcher());
    const client = createTakeControlClient(options({ transport: counted, fetch: () => Promise.reject(new Error('not this one')) }));
    expect((await withGlobalDispatcher(counting, () => client.createTechnician(technician))).error).toBeUndefined();
    expect(sent).toBe(1);
    expect(counting.count).toBe(1);
    expect(viaFetch()).toEqual([false]);
  });

  it('undiciTransport({ dispatcher }) sends through the dispatcher given, not the global one', async () => {
    const own = new CountingDispatcher(getGlobalDispatcher());
    const client = createTakeControlClient(options({ transport: undiciTransport({ dispatcher: own }) }));
    expect((await client.createTechnician(technician)).error).toBeUndefined();
    expect(own.count).toBe(1);
  });
});

describe('the portable entry', () => {
  it('stays on global fetch', async () => {
    expect((await createPortableClient(options()).createTechnician(technician)).error).toBeUndefined();
    expect(viaFetch()).toEqual([true]);
  });
});

// Process-wide settings need a process of their own: each case runs the built Node entry (dist/node.js)
// in a child Node, with the same binary as this run (Node 20 here; .ci/run repeats it on Node 24).
const nodeEntry = fileURLToPath(new URL('../dist/node.js', import.meta.url));

function runChild(script: string, env: Record<string, string>, execArgv: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [...execArgv, '--input-type=module', '-e', script],
      { env: { PATH: process.env.PATH, ...env }, timeout: 20_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim())),
    );
    child.stdin?.end();
  });
}

/** A call through the client, then one through global fetch, each reporting who answered it. */
const callBoth = (target: string) => `
  import { createTakeControlClient } from ${JSON.stringify(nodeEntry)};
  const client = createTakeControlClient({ baseUrl: ${JSON.stringify(target)}, integrationKey: 'k', retry: false, timeoutMs: 5000 });
  const viaClient = await client.createTechnician({ email: 'a@example.com', name: 'A' });
  const viaFetch = await fetch(${JSON.stringify(`${target}/tech`)}, { method: 'POST', body: '{}' }).then((r) => r.json(), (e) => ({ error: String(e) }));
  console.log(JSON.stringify({ client: viaClient.data?.answeredBy ?? viaClient.error?.message, fetch: viaFetch.answeredBy ?? viaFetch.error }));
`;

describe('what Node users set up for fetch, in a process of its own', () => {
  let target: LocalServer;
  let proxy: Server;
  let proxyUrl: string;
  /**
   * Who saw what: `target fetch direct`, `target fetch via proxy` (through a CONNECT tunnel; a tunnel may
   * carry several calls, so tunnels are not counted), `proxy POST` (a plain forward the proxy answered).
   */
  const seen: string[] = [];
  /** The local ports of the proxy's upstream sockets: a target request from one of them came through a tunnel. */
  const tunnelPorts = new Set<number>();
  beforeAll(async () => {
    expect(existsSync(nodeEntry), `${nodeEntry} is missing: run npm run build first`).toBe(true);
    target = await startLocalServer((request, response) => {
      const way = tunnelPorts.has(response.socket?.remotePort ?? 0) ? 'via proxy' : 'direct';
      seen.push(`target ${request.headers['sec-fetch-mode'] ? 'fetch' : 'undici'} ${way}`);
      sendJson(response, 200, { answeredBy: 'target' });
    });
    // A forward proxy on loopback: tunnels CONNECT (undici's ProxyAgent uses it for http too) and answers
    // a plain forward itself.
    proxy = createServer((request, response) => {
      seen.push(`proxy ${request.method}`);
      sendJson(response, 200, { answeredBy: 'proxy' });
    });
    proxy.on('connect', (request, socket: Socket, head) => {
      const [host = '', port] = (request.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        tunnelPorts.add(upstream.localPort ?? 0);
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket).pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await target?.close();
    proxy?.closeAllConnections();
    proxy?.close();
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  // NODE_USE_ENV_PROXY came in Node 24 and was backported to 22 (22.21, as we read Node's changelog; seen
  // on 22.23 here): before, fetch ignores the proxy variables. .ci/run runs this on Node 20 and 24.
  const nodeHonoursEnvProxy = major >= 23 || (major === 22 && minor >= 21);

  it('HTTP_PROXY with NODE_USE_ENV_PROXY=1: the client goes the way fetch goes', async () => {
    const out = JSON.parse(await runChild(callBoth(target.url), { HTTP_PROXY: proxyUrl, NODE_USE_ENV_PROXY: '1' }));
    expect(out).toEqual({ client: 'target', fetch: 'target' });
    // Node 22.21+ and 24 install an EnvHttpProxyAgent as the global dispatcher; Node 20 has no such thing.
    expect(seen).toEqual(nodeHonoursEnvProxy ? ['target fetch via proxy', 'target fetch via proxy'] : ['target fetch direct', 'target fetch direct']);
  });

  it('HTTP_PROXY without NODE_USE_ENV_PROXY: fetch ignores it, and so does the client', async () => {
    const out = JSON.parse(await runChild(callBoth(target.url), { HTTP_PROXY: proxyUrl, http_proxy: proxyUrl }));
    expect(out).toEqual({ client: 'target', fetch: 'target' });
    expect(seen).toEqual(['target fetch direct', 'target fetch direct']);
  });

  // Node 20's fetch uses no proxy at all: nothing to bypass there.
  it.skipIf(!nodeHonoursEnvProxy)('NO_PROXY naming the host: direct, for both', async () => {
    const out = JSON.parse(await runChild(callBoth(target.url), { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1', NODE_USE_ENV_PROXY: '1' }));
    expect(out).toEqual({ client: 'target', fetch: 'target' });
    expect(seen).toEqual(['target fetch direct', 'target fetch direct']);
  });

  it('where undici cannot be loaded, the default (global fetch) works; undiciTransport() is `unsupported`', async () => {
    // A module hook that makes `undici` unresolvable, as in a runtime that resolves `node` without it.
    const hook = `export async function resolve(specifier, context, next) {
      if (specifier === 'undici') throw Object.assign(new Error('no undici here'), { code: 'ERR_MODULE_NOT_FOUND' });
      return next(specifier, context);
    }`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
    const explicit = `
      const { undiciTransport } = await import(${JSON.stringify(nodeEntry)});
      const pinned = createTakeControlClient({ baseUrl: ${JSON.stringify(target.url)}, integrationKey: 'k', transport: undiciTransport() });
      const { error } = await pinned.setTechnicianStatus('a@example.com', 'enabled');
      console.log(JSON.stringify({ kind: error?.kind, attempts: error?.attempts }));`;
    const lines = await runChild(callBoth(target.url) + explicit, {}, ['--import', `data:text/javascript,${encodeURIComponent(register)}`]);
    const [both, pinned] = lines.split('\n').map((line) => JSON.parse(line));
    expect(both).toEqual({ client: 'target', fetch: 'target' });
    expect(seen).toEqual(['target fetch direct', 'target fetch direct']);
    expect(pinned).toEqual({ kind: 'unsupported', attempts: 1 });
  });
});
