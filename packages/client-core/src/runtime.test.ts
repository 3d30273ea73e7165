import { getEventListeners } from 'node:events';
import createClient from 'openapi-fetch';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../tools/mock-server.mjs';
import { sendJson, startLocalServer, type LocalServer } from '../../../tools/testing/local-server.mjs';
import {
  createRuntime,
  fetchTransport,
  jsonBody,
  toResult,
  TransportUnavailableError,
  type ApiError,
  type ApiResult,
  type CallOptions,
  type ClientRuntimeOptions,
  type FetchOutcome,
  type Transport,
  WireRequestClass,
} from './index.js';
import { undiciTransport } from './node.js';
import { retryAfterMs } from './retry.js';

// A real server on 127.0.0.1 that misbehaves on purpose, path by path. Each path counts its hits, so a test
// can tell how many attempts reached the server.
const key = 'core-key-91c2e7b05d';
let server: LocalServer;
const hits = new Map<string, number>();
/** When each path was hit (ms, performance.now()), to measure the waits between attempts. */
const hitTimes = new Map<string, number[]>();
/**
 * The `Sec-Fetch-Mode` header of each request, in order: WHATWG fetch always sends it (a forbidden header,
 * which no caller can remove), undici's `request()` sends only the headers it is given. So the server can
 * tell which of the two carried a call.
 */
const fetchModes: (string | undefined)[] = [];
let refusedUrl: string;

beforeAll(async () => {
  server = await startLocalServer(async (request, response) => {
    const path = request.url.pathname;
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    hitTimes.set(path, [...(hitTimes.get(path) ?? []), performance.now()]);
    fetchModes.push(request.headers['sec-fetch-mode'] as string | undefined);
    const [, behaviour, arg] = path.split('/');
    switch (behaviour) {
      case 'ok':
        return sendJson(response, 200, { ok: true, method: request.method, body: request.body });
      case 'busy-then-ok': // 429 with Retry-After `arg` (seconds or "date"), then 200
        if (hit > 1) return sendJson(response, 200, { ok: true });
        response.setHeader('retry-after', arg === 'date' ? new Date(Date.now() - 1000).toUTCString() : (arg ?? '0'));
        return sendJson(response, 429, { status: 429, message: 'Too many requests' });
      case 'busy': // always 429, with Retry-After `arg` when given
        if (arg) response.setHeader('retry-after', arg);
        return sendJson(response, 429, { status: 429, message: 'Too many requests' });
      case 'unavailable-then-ok':
        return hit > 1 ? sendJson(response, 200, { ok: true }) : sendJson(response, 503, { message: 'Down for a moment' });
      case 'drop-then-ok': // the connection dies before any response, once
        if (hit > 1) return sendJson(response, 200, { ok: true });
        return void response.socket?.destroy();
      case 'reset-then-ok': // the connection is reset (TCP RST: the client reads ECONNRESET) after the request came in, once
        if (hit > 1) return sendJson(response, 200, { ok: true });
        return void response.socket?.resetAndDestroy();
      case 'status-then-ok': // status `arg` once, then 200
        return hit > 1 ? sendJson(response, 200, { ok: true }) : sendJson(response, Number(arg), { message: `HTTP ${arg} on purpose` });
      case 'hang': // never answers; the client's timeout or signal has to end the call
        return;
      case 'slow-body': // headers now, the body never
        response.writeHead(200, { 'content-type': 'application/json' });
        return void response.write('{"partial":');
      case 'not-json':
        response.writeHead(200, { 'content-type': 'application/json' });
        return void response.end('<html>Gateway page</html>');
      case 'truncated': // promises 100 bytes, sends 12, hangs up
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        response.write('{"cut": "sho');
        return void setTimeout(() => response.socket?.destroy(), 5);
      case 'huge-declared': // declares 50 MB
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) });
        return void response.write('['.repeat(1024));
      case 'endless': // a chunked body that never ends, with status `arg`
        return endless(response, Number(arg ?? 200));
      case 'echo-key': // an error page that quotes the request's credentials back
        return sendJson(response, 403, { message: `Invalid key: ${request.headers.authorization}`, seen: [request.headers.authorization] });
      default:
        return sendJson(response, 404, { message: 'Not found' });
    }
  });
  // A port nothing listens on.
  refusedUrl = `http://127.0.0.1:${await freePort()}`;
});
afterAll(() => server.close());
afterEach(() => {
  hits.clear();
  hitTimes.clear();
});

function endless(response: import('node:http').ServerResponse, status: number) {
  response.writeHead(status, { 'content-type': 'application/json' });
  const chunk = `"${'x'.repeat(16 * 1024)}",`;
  const pump = () => {
    // Write until the socket pushes back, then wait for it to drain; stop once the client hangs up.
    while (!response.destroyed && response.write(chunk));
    if (!response.destroyed) response.once('drain', pump);
  };
  response.write('[');
  pump();
}

/** Every error any test produced, checked for the key at the end. */
const errors: ApiError[] = [];
const logged: string[] = [];
const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
  vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' '))),
);
afterAll(() => consoleSpies.forEach((spy) => spy.mockRestore()));

type Method = 'GET' | 'POST' | 'PUT';
const fast = { baseDelayMs: 1, maxDelayMs: 5 };

function makeClient(transport: () => Transport, options: ClientRuntimeOptions = {}, baseUrl = server.url) {
  const runtime = createRuntime({ transport: transport(), retry: fast, ...options });
  const http = createClient({ baseUrl, headers: { Authorization: `KEY ${key}` }, ...runtime.wire });
  const request = http.request as unknown as (method: string, path: string, init: object) => Promise<FetchOutcome>;
  return async (method: Method, path: string, init: CallOptions = {}, body: unknown = method === 'GET' ? undefined : { n: 1 }) => {
    const result: ApiResult<unknown> = await runtime.call({ operation: 'test', method, secrets: [key] }, init, (attempt) =>
      request(method, path, { body, headers: init.headers, ...attempt }),
    );
    if (result.error) errors.push(result.error);
    return result;
  };
}

/** Timers that keep the process alive: none of the client's may be left once a call has ended. */
function pendingTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

/** The pending timers once the previous test's own short timers (its server's, its aborts) have fired. */
async function settledTimers(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 30));
  return pendingTimers();
}

/**
 * How many requests the server received on `path`, once it has received at least one: a call can end (a
 * timeout) before the server has read the request it counts.
 */
async function hitsSeen(path: string): Promise<number | undefined> {
  for (const deadline = Date.now() + 5_000; !hits.get(path) && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
  return hits.get(path);
}

async function elapsed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await run();
  return [value, performance.now() - start];
}

describe.each([
  ['global fetch', fetchTransport],
  ['undici', undiciTransport],
] as const)('through the %s transport', (name, transport) => {
  const call = (options?: ClientRuntimeOptions) => makeClient(transport, options);
  beforeAll(() => {
    fetchModes.length = 0;
  });

  it('sends method, headers and body as given, and a call that succeeded leaves no timer behind', async () => {
    const before = await settledTimers();
    const result = await call()('PUT', '/ok', { headers: { 'X-Trace': 't1' } }, { status: 'enabled' });
    expect(result.data).toEqual({ ok: true, method: 'PUT', body: '{"status":"enabled"}' });
    expect(pendingTimers()).toBeLessThanOrEqual(before);
    if (transport === undiciTransport) {
      // A GET with a body goes through undici, which allows one.
      expect((await call()('GET', '/ok', {}, { id: 1 })).data).toMatchObject({ method: 'GET', body: '{"id":1}' });
    }
  });

  describe('429', () => {
    it.each(['0', 'date'])('is retried after Retry-After (%s), even for a POST', async (retryAfter) => {
      const result = await call()('POST', `/busy-then-ok/${retryAfter}`);
      expect(result.error).toBeUndefined();
      expect(result.data).toEqual({ ok: true });
      expect(hits.get(`/busy-then-ok/${retryAfter}`)).toBe(2);
    });

    it('without Retry-After is retried with backoff, and a call that gives up returns the typed 429', async () => {
      const result = await call({ retry: { ...fast, attempts: 4 } })('POST', '/busy');
      expect(result.error).toMatchObject({ kind: 'http', status: 429, message: 'Too many requests', attempts: 4 });
      expect(result.response?.status).toBe(429);
      expect(hits.get('/busy')).toBe(4);
    });

    it('without Retry-After waits a full-jitter backoff: a random share of base × 2^(retry − 1), capped', async () => {
      // The random share pinned near its top: waits of ⌊0.99 × min(60, 50 × 2^(retry − 1))⌋ = 49, 59, 59, 59 ms
      // (uncapped, the last two would be 198 and 396).
      const random = vi.spyOn(Math, 'random').mockReturnValue(0.99);
      const announced: number[] = [];
      try {
        const result = await call({ retry: { attempts: 5, baseDelayMs: 50, maxDelayMs: 60, maxElapsedMs: 10_000 } })('POST', '/busy', {
          onRetry: ({ waitMs }) => void announced.push(waitMs),
        });
        expect(result.error).toMatchObject({ kind: 'http', status: 429, attempts: 5 });
      } finally {
        random.mockRestore();
      }
      // The waits chosen, exactly; then that each was really waited: a gap between two hits is the wait plus
      // one exchange, never shorter (a timer does not fire early, give or take a millisecond). No upper bound:
      // on a loaded machine a gap can be any longer.
      expect(announced).toEqual([49, 59, 59, 59]);
      const times = hitTimes.get('/busy') ?? [];
      const waits = times.slice(1).map((time, index) => time - (times[index] ?? 0));
      expect(waits).toHaveLength(4);
      [49, 59, 59, 59].forEach((wait, index) => expect(waits[index], `wait before retry ${index + 1}`).toBeGreaterThanOrEqual(wait - 1));
    });

    it('gives up at once when Retry-After asks for longer than the time budget left', async () => {
      const [result, ms] = await elapsed(() => call({ retry: { ...fast, maxElapsedMs: 2_000 } })('POST', '/busy/30'));
      expect(result.error).toMatchObject({ kind: 'http', status: 429, attempts: 1 });
      expect(ms).toBeLessThan(1_000);
    });

    it('stops retrying when the time budget is spent', async () => {
      const [result, ms] = await elapsed(() =>
        call({ retry: { attempts: 1000, baseDelayMs: 20, maxDelayMs: 20, maxElapsedMs: 150 } })('POST', '/busy'),
      );
      expect(result.error).toMatchObject({ kind: 'http', status: 429 });
      expect(result.error?.attempts).toBeLessThan(1000);
      expect(ms).toBeLessThan(1_000);
    });

    it('tells onRetry of each wait, with its cause, and unbounded retries wait for as long as it takes', async () => {
      const notices: { attempt: number; waitMs: number; status: number }[] = [];
      const result = await call()('POST', '/busy-then-ok/0', {
        retry: { attempts: Infinity, maxElapsedMs: Infinity },
        onRetry: ({ attempt, waitMs, error }) => notices.push({ attempt, waitMs, status: error.status }),
      });
      expect(result.data).toEqual({ ok: true });
      expect(notices).toEqual([{ attempt: 1, waitMs: 0, status: 429 }]);
    });

    it('is not retried when retries are off, per client or per call', async () => {
      expect((await call({ retry: false })('POST', '/busy')).error?.attempts).toBe(1);
      expect((await call()('POST', '/busy', { retry: false })).error?.attempts).toBe(1);
      expect(hits.get('/busy')).toBe(2);
    });
  });

  describe('5xx and network errors are retried for idempotent methods only', () => {
    it('a 503 on PUT is retried', async () => {
      expect((await call()('PUT', '/unavailable-then-ok')).data).toEqual({ ok: true });
      expect(hits.get('/unavailable-then-ok')).toBe(2);
    });

    it('a 503 on POST is returned as is: the server may have done the work', async () => {
      const result = await call()('POST', '/unavailable-then-ok');
      expect(result.error).toMatchObject({ kind: 'http', status: 503, message: 'Down for a moment', attempts: 1 });
      expect(hits.get('/unavailable-then-ok')).toBe(1);
    });

    it('a dropped connection on PUT is retried', async () => {
      expect((await call()('PUT', '/drop-then-ok')).data).toEqual({ ok: true });
      expect(hits.get('/drop-then-ok')).toBe(2);
    });

    it('a dropped connection on POST is a network error, not retried', async () => {
      const result = await call()('POST', '/drop-then-ok');
      expect(result.error).toMatchObject({ kind: 'network', status: 0, attempts: 1 });
      expect(hits.get('/drop-then-ok')).toBe(1);
    });

    it('a reset connection (ECONNRESET) on POST is a network error, sent once: the server counted one request', async () => {
      const result = await call({ retry: { ...fast, attempts: 3 } })('POST', '/reset-then-ok');
      expect(result.error).toMatchObject({ kind: 'network', status: 0, attempts: 1 });
      expect(result.error?.message).toMatch(/ECONNRESET/);
      expect(hits.get('/reset-then-ok')).toBe(1);
    });

    it('a reset connection on PUT is retried: the server counted two requests', async () => {
      expect((await call()('PUT', '/reset-then-ok')).data).toEqual({ ok: true });
      expect(hits.get('/reset-then-ok')).toBe(2);
    });

    it.each([500, 502, 503, 504])('a %d on PUT is transient: retried, the server counted two requests', async (status) => {
      expect((await call()('PUT', `/status-then-ok/${status}`)).data).toEqual({ ok: true });
      expect(hits.get(`/status-then-ok/${status}`)).toBe(2);
    });

    it.each([501, 505, 400, 404, 409])('a %d on PUT is not transient: returned, the server counted exactly one request', async (status) => {
      const result = await call({ retry: { ...fast, attempts: 3 } })('PUT', `/status-then-ok/${status}`);
      expect(result.error).toMatchObject({ kind: 'http', status, message: `HTTP ${status} on purpose`, attempts: 1 });
      expect(hits.get(`/status-then-ok/${status}`)).toBe(1);
    });

    it('a refused connection is retried whatever the method: nothing was sent', async () => {
      const result = await makeClient(transport, { retry: { ...fast, attempts: 3 } }, refusedUrl)('POST', '/ok');
      expect(result.error).toMatchObject({ kind: 'network', status: 0, attempts: 3 });
      expect(result.error?.message).toMatch(/ECONNREFUSED/);
    });
  });

  describe('a request that cannot be built', () => {
    // Plain JavaScript: nothing stops these values; openapi-fetch or JSON.stringify throws before the transport.
    const build = async (init: object) => {
      const runtime = createRuntime({ transport: transport(), retry: { ...fast, attempts: 5 } });
      const http = createClient({ baseUrl: server.url, ...runtime.wire });
      const request = http.request as unknown as (method: string, path: string, init: object) => Promise<FetchOutcome>;
      return runtime.call({ operation: 'test', method: 'PUT', secrets: [] }, {}, (attempt) => request('PUT', '/ok', { ...init, ...attempt }));
    };
    const cases = [
      ['a query value openapi-fetch refuses (nested objects)', { params: { query: { filter: { deep: { er: 1 } } } } }, /Deeply-nested/],
      ['a body JSON.stringify refuses (a BigInt)', { body: { n: 1n } }, /BigInt/],
      ['a serializer that names its argument', { body: { n: 1n }, bodySerializer: jsonBody('payload') }, /^payload cannot be sent as JSON: /],
    ] as const;
    for (const [name, init, message] of cases) {
      it(`${name}: \`invalid-input\` at once, one attempt, nothing sent, even for an idempotent method`, async () => {
        const result = await build(init);
        expect(result.error).toMatchObject({ kind: 'invalid-input', status: 0, attempts: 1 });
        expect(result.error?.message).toMatch(message);
        expect(hits.get('/ok')).toBeUndefined();
      });
    }
  });

  describe('timeouts and cancellation', () => {
    it('a POST past its timeout ends as `timeout`, is never sent again (the server counted one request), and leaves no timer behind', async () => {
      const before = await settledTimers();
      const [result, ms] = await elapsed(() => call({ timeoutMs: 50, retry: { ...fast, attempts: 3 } })('POST', '/hang'));
      expect(result.error).toMatchObject({ kind: 'timeout', status: 0, message: 'The call timed out after 50 ms', attempts: 1 });
      expect(ms).toBeLessThan(1_000);
      expect(pendingTimers()).toBeLessThanOrEqual(before);
      expect(await hitsSeen('/hang')).toBe(1);
    });

    it('the timeout covers the body too', async () => {
      const result = await call({ timeoutMs: 50 })('POST', '/slow-body');
      expect(result.error).toMatchObject({ kind: 'timeout' });
    });

    it('a per-call timeout overrides the client default', async () => {
      const result = await call({ timeoutMs: 60_000 })('POST', '/hang', { timeoutMs: 40 });
      expect(result.error).toMatchObject({ kind: 'timeout', message: 'The call timed out after 40 ms' });
    });

    it('a timed-out PUT is retried, each attempt with its own timeout', async () => {
      const result = await call({ timeoutMs: 30, retry: { ...fast, attempts: 2 } })('PUT', '/hang');
      expect(result.error).toMatchObject({ kind: 'timeout', attempts: 2 });
      expect(hits.get('/hang')).toBe(2);
    });

    it("the caller's signal ends the call as `aborted`, not `timeout`, and leaves no timer behind", async () => {
      const before = await settledTimers();
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      const result = await call({ timeoutMs: 10_000 })('PUT', '/hang', { signal: controller.signal });
      expect(result.error).toMatchObject({ kind: 'aborted', status: 0 });
      expect(pendingTimers()).toBeLessThanOrEqual(before);
    });

    it("the caller's signal during a POST ends it as `aborted` too, not as a network error", async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      const result = await call({ timeoutMs: 10_000 })('POST', '/hang', { signal: controller.signal });
      expect(result.error).toMatchObject({ kind: 'aborted', status: 0, attempts: 1 });
    });

    it('a call that succeeded within its timeout leaves no timer and no listener on the caller\'s signal', async () => {
      const before = await settledTimers();
      const controller = new AbortController();
      const result = await call({ timeoutMs: 60_000 })('PUT', '/ok', { signal: controller.signal });
      expect(result.error).toBeUndefined();
      expect(pendingTimers()).toBeLessThanOrEqual(before);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });

    it('an already aborted signal sends nothing', async () => {
      const result = await call()('PUT', '/ok', { signal: AbortSignal.abort(new Error('the user cancelled')) });
      expect(result.error).toMatchObject({ kind: 'aborted', attempts: 0, message: 'The call was aborted: the user cancelled' });
      expect(hits.get('/ok')).toBeUndefined();
    });

    it('an abort during a retry wait ends the wait at once, its timer cleared', async () => {
      const before = await settledTimers();
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const [result, ms] = await elapsed(() => call()('POST', '/busy/5', { signal: controller.signal }));
      expect(result.error).toMatchObject({ kind: 'aborted', attempts: 1 });
      expect(ms).toBeLessThan(2_000);
      expect(pendingTimers()).toBeLessThanOrEqual(before);
    });
  });

  describe('bodies that are not what was promised', () => {
    it('a 2xx body that is not JSON is `invalid-response`, with the response', async () => {
      const result = await call()('POST', '/not-json');
      expect(result.error).toMatchObject({ kind: 'invalid-response', status: 0 });
      expect(result.error?.message).toMatch(/^The response body is not valid JSON/);
      expect(result.response?.status).toBe(200);
    });

    it('a truncated body is `invalid-response`', async () => {
      const result = await call()('POST', '/truncated');
      expect(result.error).toMatchObject({ kind: 'invalid-response' });
      expect(result.error?.message).toMatch(/could not be read in full/);
    });

    it('a body declared larger than maxBodyBytes is refused before it is read', async () => {
      const result = await call({ maxBodyBytes: 64 * 1024 })('POST', '/huge-declared');
      expect(result.error).toMatchObject({ kind: 'invalid-response' });
      expect(result.error?.message).toBe(
        `The response body is ${50 * 1024 * 1024} bytes, more than the ${64 * 1024} bytes allowed (maxBodyBytes)`,
      );
    });

    it('an endless body stops being read past maxBodyBytes', async () => {
      const result = await call({ maxBodyBytes: 256 * 1024 })('POST', '/endless/200');
      expect(result.error).toMatchObject({ kind: 'invalid-response' });
      expect(result.error?.message).toMatch(/more than the 262144 bytes allowed/);
    });

    it('a 2xx or 400 body past maxBodyBytes is not sent again, even on PUT; a transient status with such a body is', async () => {
      const ok = await call({ maxBodyBytes: 64 * 1024, retry: { ...fast, attempts: 3 } })('PUT', '/endless/200');
      expect(ok.error).toMatchObject({ kind: 'invalid-response', attempts: 1 });
      expect(hits.get('/endless/200')).toBe(1);
      const busy = await call({ maxBodyBytes: 64 * 1024, retry: { ...fast, attempts: 2 } })('PUT', '/endless/503');
      expect(busy.error).toMatchObject({ kind: 'http', status: 503, attempts: 2 });
      expect(hits.get('/endless/503')).toBe(2);
      const refused = await call({ maxBodyBytes: 64 * 1024, retry: { ...fast, attempts: 3 } })('PUT', '/endless/400');
      expect(refused.error).toMatchObject({ kind: 'http', status: 400, attempts: 1 });
      expect(hits.get('/endless/400')).toBe(1);
    });

    it('an endless error body still gives the status, as an `http` error', async () => {
      const result = await call({ maxBodyBytes: 256 * 1024 })('POST', '/endless/500');
      expect(result.error).toMatchObject({ kind: 'http', status: 500 });
      expect(result.error?.message).toMatch(/^HTTP 500 \(The response body is more than/);
    });
  });

  it("an error that quotes the key back has it removed, from the message and the body", async () => {
    const result = await call()('POST', '/echo-key');
    expect(result.error).toMatchObject({ kind: 'http', status: 403, message: 'Invalid key: KEY [redacted]' });
    expect(result.error?.body).toEqual({ message: 'Invalid key: KEY [redacted]', seen: ['KEY [redacted]'] });
  });

  it(`every request of these tests reached the server through ${name}`, () => {
    expect(fetchModes.length).toBeGreaterThan(20);
    expect(new Set(fetchModes)).toEqual(new Set([transport === undiciTransport ? undefined : 'cors']));
  });
});

describe('default timeouts', () => {
  it('a transport that enforces timeouts itself gets 30 s per attempt; one that does not gets none', async () => {
    const given: (number | undefined)[] = [];
    const recording = (timesOut: boolean) => (): Transport => ({
      Request: WireRequestClass,
      timesOut,
      fetch(request, options) {
        given.push(options?.timeoutMs);
        return fetchTransport().fetch(request, options);
      },
    });
    expect((await makeClient(recording(true))('GET', '/ok')).data).toMatchObject({ ok: true });
    expect((await makeClient(recording(false))('GET', '/ok')).data).toMatchObject({ ok: true });
    expect((await makeClient(recording(true), { timeoutMs: 5 })('GET', '/ok', { timeoutMs: 1234 })).data).toMatchObject({ ok: true });
    expect(given).toEqual([30_000, 0, 1234]);
  });
});

describe('timeouts given to the transport', () => {
  it('one past what setTimeout can hold (2^31 − 1 ms), or not above 0, means none', async () => {
    const given: (number | undefined)[] = [];
    const recording = (): Transport => ({
      Request: WireRequestClass,
      timesOut: true,
      fetch(request, options) {
        given.push(options?.timeoutMs);
        return fetchTransport().fetch(request, options);
      },
    });
    for (const timeoutMs of [2 ** 31 - 1, 2 ** 31, 0, -5]) expect((await makeClient(recording, { timeoutMs })('GET', '/ok')).error).toBeUndefined();
    expect(given).toEqual([2 ** 31 - 1, 0, 0, 0]);
  });

  it('a timeout past 2^31 − 1 ms set on a transport without timeouts of its own does not fire at once', async () => {
    expect((await makeClient(fetchTransport, { timeoutMs: 2 ** 31 })('GET', '/ok')).data).toMatchObject({ ok: true });
  });

  it("the runtime's own timeout is `timeout` even when the transport rejects with an error of its own", async () => {
    const unnamed = (): Transport => ({
      Request: WireRequestClass,
      fetch: (request) =>
        new Promise((_, reject) => request.signal?.addEventListener('abort', () => reject(new Error('the transport gave up')))),
    });
    const result = await makeClient(unnamed, { timeoutMs: 20, retry: false })('GET', '/ok');
    expect(result.error).toMatchObject({ kind: 'timeout', message: 'The call timed out after 20 ms', attempts: 1 });
  });
});

describe('a client given only a fetch', () => {
  it('sends each call through it, as a WHATWG Request', async () => {
    const seen: string[] = [];
    const runtime = createRuntime({
      fetch: (request) => {
        seen.push(`${request instanceof Request} ${request.method} ${new URL(request.url).pathname}`);
        return fetch(request);
      },
    });
    const http = createClient({ baseUrl: server.url, ...runtime.wire });
    const result = await runtime.call({ operation: 'test', method: 'PUT', secrets: [] }, {}, (attempt) => http.PUT('/ok' as never, { body: { n: 1 }, ...attempt } as never));
    expect(result.data).toMatchObject({ ok: true, method: 'PUT' });
    // The runtime's wire alone (a client's raw `http`, outside any call) goes through it too.
    expect((await http.GET('/ok' as never)).data).toMatchObject({ ok: true, method: 'GET' });
    expect(seen).toEqual(['true PUT /ok', 'true GET /ok']);
  });
});

describe('toResult (a call made outside a client method)', () => {
  it('makes one attempt, without retries even for a transient status, and redacts secrets', async () => {
    const http = createClient({ baseUrl: server.url });
    const unavailable = await toResult('raw', [key], () => http.PUT('/unavailable-then-ok' as never, { body: {} } as never) as never);
    expect(unavailable.error).toMatchObject({ kind: 'http', operation: 'raw', status: 503, message: 'Down for a moment', attempts: 1 });
    expect(hits.get('/unavailable-then-ok')).toBe(1);
    const echoed = await toResult('raw', [key], () => http.GET('/echo-key' as never, { headers: { authorization: `KEY ${key}` } } as never) as never);
    expect(echoed.error?.message).toBe('Invalid key: KEY [redacted]');
    const busy = await toResult('raw', [], () => http.POST('/busy/0' as never, { body: {} } as never) as never);
    expect(busy.error).toMatchObject({ kind: 'http', status: 429, attempts: 1 });
    expect(hits.get('/busy/0')).toBe(1);
  });
});

describe('a transport that fails oddly', () => {
  it('rejecting with something that is not an Error still gives a typed network error, not a throw', async () => {
    const odd = (): Transport => ({ Request: WireRequestClass, fetch: () => Promise.reject(undefined) });
    const result = await makeClient(odd, { retry: false })('POST', '/ok');
    // (openapi-fetch drops a falsy rejection and then fails on the missing response: a TypeError of its own.)
    expect(result.error).toMatchObject({ kind: 'network', status: 0, attempts: 1 });
    expect(result.error?.message).toMatch(/^The request could not be sent: /);
  });
});

describe('a transport that cannot send in this runtime', () => {
  it('ends the call as `unsupported` at once, never retried, whatever the method', async () => {
    let attempts = 0;
    const unavailable = (): Transport => ({
      Request: WireRequestClass,
      fetch: () => {
        attempts++;
        return Promise.reject(new TransportUnavailableError('undici could not be loaded in this runtime'));
      },
    });
    const result = await makeClient(unavailable, { retry: { ...fast, attempts: 5 } })('PUT', '/ok');
    expect(result.error).toMatchObject({ kind: 'unsupported', status: 0, attempts: 1, message: 'undici could not be loaded in this runtime' });
    expect(attempts).toBe(1);
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('0', now)).toBe(0);
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-1', now)).toBeUndefined();
    expect(retryAfterMs('1.5', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('is waited for, in seconds', async () => {
    const [result, ms] = await elapsed(() => makeClient(fetchTransport)('POST', '/busy-then-ok/1'));
    expect(result.data).toEqual({ ok: true });
    expect(ms).toBeGreaterThanOrEqual(950);
  });
});

describe('secrets', () => {
  it('no error and no log line holds the key', () => {
    expect(errors.length).toBeGreaterThan(20);
    for (const error of errors) {
      expect(JSON.stringify(error)).not.toContain(key);
      expect(String(error.message)).not.toContain(key);
    }
    expect(logged.join('\n')).not.toContain(key);
  });
});
