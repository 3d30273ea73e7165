// One API of the sandbox on one node:http server. Every request on a vendor path goes through the same
// steps: the operation it is for (404/405 otherwise), the credential (the API's own answers), the rate
// limit (only where the spec documents 429), the request checked against the spec (the API's documented
// answer to invalid input), the handler; then the answer is checked against the spec before it leaves,
// and a violation becomes a 500 that names it. Faults and latency wrap all of that. `/__sandbox/*` is the
// inspection interface, outside the vendors' paths.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatViolation, type SpecOperation, type SpecValidator, type Violation } from '@techapi/openapi-validator';
import type { Clock } from './clock.js';
import type { Fault } from './faults.js';
import type { OpenApiDocument } from './specs.js';

/** A request on a vendor path, as a handler sees it: already authenticated, rate-limited and valid for the spec. */
export interface SandboxRequest {
  operationId: string;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when there is none. */
  body: unknown;
}

/** An answer. A body is sent as JSON. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What makes one API: its spec, how it checks credentials and answers bad input, its operations and state. */
export interface ApiBehaviour {
  name: string;
  spec: OpenApiDocument;
  /** A refusal, or the credential the request was made with (the rate limit counts per credential). */
  authenticate(headers: IncomingHttpHeaders, operation: SpecOperation): Reply | { credential: string };
  /** The documented answer to a request that breaks the spec. */
  invalidRequest(operationId: string, violations: Violation[]): Reply;
  /** The body of an answer outside the spec's operations (unknown path, fault, broken contract). */
  errorBody(status: number, message: string): unknown;
  handlers: Record<string, (request: SandboxRequest) => Reply>;
  state(): unknown;
  reset(): void;
  seed(data: unknown): void;
}

export interface ServeOptions {
  behaviour: ApiBehaviour;
  /** The validator of the behaviour's spec. */
  validator: SpecValidator;
  clock: Clock;
  host: string;
  port: number;
  /** `take(credential)`: undefined to go on, else the seconds to wait. Absent: no limit. */
  rateLimit: ((credential: string) => number | undefined) | undefined;
  latencyMs: number;
  drawFault: () => Fault;
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

/** Bodies past this are refused: the sandbox holds what it is sent. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const JSON_TYPE = 'application/json';

export async function serveApi(options: ServeOptions): Promise<ApiServer> {
  const { behaviour, validator, clock, rateLimit, latencyMs, drawFault } = options;
  const contractName = `dist/specs/${behaviour.name}.json`;

  /** The steps from the request to the answer, all synchronous: the state changes at once, in arrival order. */
  function answer(method: string, rawUrl: string, headers: IncomingHttpHeaders, text: string): { reply: Reply; operation?: SpecOperation } {
    let json: unknown;
    if (text !== '' && isJson(headers['content-type'])) {
      try {
        json = JSON.parse(text);
      } catch {
        // left undefined: the validator reports the body as not JSON
      }
    }
    const checked = validator.checkRequest({ method, url: `http://sandbox${rawUrl}`, headers: new HeaderReader(headers), body: text === '' ? undefined : text, json });
    const operation = checked.operation;
    if (!operation) {
      // The validator matched the path as it matches operations; its finding names the path it read.
      const pathname = checked.violations[0]?.field ?? rawUrl;
      const allowed = checked.allowedMethods ?? [];
      return allowed.length > 0
        ? { reply: { status: 405, body: behaviour.errorBody(405, `${method} is not an operation of ${pathname}`), headers: { allow: allowed.join(', ') } } }
        : { reply: { status: 404, body: behaviour.errorBody(404, `No operation of the spec is ${method} ${pathname}`) } };
    }
    const authenticated = behaviour.authenticate(headers, operation);
    if ('status' in authenticated) return { reply: authenticated, operation };
    if (rateLimit && '429' in (operation.operation.responses ?? {})) {
      const waitSeconds = rateLimit(authenticated.credential);
      if (waitSeconds !== undefined) {
        return { reply: { status: 429, body: behaviour.errorBody(429, 'Too many requests'), headers: { 'retry-after': String(waitSeconds) } }, operation };
      }
    }
    // A missing credential was the behaviour's to answer above; every other finding is bad input.
    if (checked.violations.length > 0) {
      const violations = checked.violations.filter((violation) => violation.location !== 'security');
      if (violations.length > 0) return { reply: behaviour.invalidRequest(operation.operationId, violations), operation };
    }
    const handler = behaviour.handlers[operation.operationId];
    if (!handler) throw new Error(`the ${behaviour.name} sandbox has no handler for ${operation.operationId}`);
    const request: SandboxRequest = {
      operationId: operation.operationId,
      pathParams: checked.pathParams ?? {},
      query: checked.query,
      headers,
      body: json,
    };
    return { reply: handler(request), operation };
  }

  /** The answer as it goes on the wire; checked against the spec when it answers an operation. */
  function send(response: ServerResponse, reply: Reply, operation: SpecOperation | undefined) {
    const text = reply.body === undefined ? '' : (constantTexts.get(reply.body as object) ?? JSON.stringify(reply.body));
    const headers: Record<string, string> = reply.headers ?? {};
    if (text !== '') headers['content-type'] = JSON_TYPE;
    if (operation && !checkedBefore(operation, reply)) {
      const violations = validator.checkResponse(operation, { status: reply.status, headers: new HeaderReader(headers), body: text, json: reply.body });
      if (violations.length > 0) {
        const message = `The sandbox's answer broke the contract (${contractName}): ${violations.map(formatViolation).join('; ')}`;
        console.error(`[techapi-sandbox] ${message}`);
        return write(response, 500, JSON.stringify(behaviour.errorBody(500, message)), { 'content-type': JSON_TYPE });
      }
      if (reply.headers === undefined && typeof reply.body === 'object' && reply.body !== null && isConstant(reply.body)) remember(operation, reply);
    }
    write(response, reply.status, text, headers);
  }

  /**
   * Answers whose body is a deep-frozen constant (e.g. the success envelope), already found valid for this
   * operation and status: a check is a pure function of them, so checking again would find the same.
   */
  const validConstants = new WeakMap<object, Set<string>>();
  const checkedBefore = (operation: SpecOperation, reply: Reply) =>
    reply.headers === undefined && typeof reply.body === 'object' && reply.body !== null && validConstants.get(reply.body)?.has(`${operation.operationId} ${reply.status}`) === true;
  /** The JSON text of each such constant, serialized once. */
  const constantTexts = new WeakMap<object, string>();
  const remember = (operation: SpecOperation, reply: Reply) => {
    const body = reply.body as object;
    constantTexts.set(body, JSON.stringify(body));
    const seen = validConstants.get(body) ?? new Set<string>();
    seen.add(`${operation.operationId} ${reply.status}`);
    validConstants.set(body, seen);
  };

  /** `/__sandbox/*`: inspection and control, on every API's port. */
  function control(method: string, path: string, text: string): Reply {
    if (method === 'GET' && path === '/__sandbox/state') return { status: 200, body: behaviour.state() };
    if (method === 'POST' && path === '/__sandbox/reset') {
      behaviour.reset();
      return { status: 204 };
    }
    if (method === 'POST' && path === '/__sandbox/seed') {
      behaviour.seed(JSON.parse(text || '{}'));
      return { status: 204 };
    }
    if (method === 'POST' && path === '/__sandbox/clock') {
      const { advanceMs } = JSON.parse(text || '{}') as { advanceMs?: unknown };
      clock.advance(Number(advanceMs));
      return { status: 200, body: { now: new Date(clock.now()).toISOString() } };
    }
    return { status: 404, body: { status: 404, message: `No sandbox endpoint ${method} ${path}: GET /__sandbox/state, POST /__sandbox/reset, /__sandbox/seed, /__sandbox/clock` } };
  }

  /** Once the body is read. Synchronous unless latency is added: no promise per request. */
  function onRequest(request: IncomingMessage, response: ServerResponse, text: string) {
    const method = request.method ?? 'GET';
    const rawUrl = request.url ?? '/';
    if (rawUrl.startsWith('/__sandbox/')) {
      let reply: Reply;
      try {
        reply = control(method, rawUrl.split('?', 1)[0] ?? '', text);
      } catch (error) {
        reply = { status: 400, body: { status: 400, message: (error as Error).message } };
      }
      return write(response, reply.status, reply.body === undefined ? '' : JSON.stringify(reply.body), reply.body === undefined ? {} : { 'content-type': JSON_TYPE });
    }
    const fault = drawFault();
    if (latencyMs > 0) setTimeout(respond, latencyMs, request, response, method, rawUrl, text, fault);
    else respond(request, response, method, rawUrl, text, fault);
  }

  function respond(request: IncomingMessage, response: ServerResponse, method: string, rawUrl: string, text: string, fault: Fault) {
    if (fault === 'error') {
      // Injected on purpose, outside the spec: a server can fail this way and clients must cope.
      return write(response, 503, JSON.stringify(behaviour.errorBody(503, 'Service unavailable (a fault injected by the sandbox)')), { 'content-type': JSON_TYPE });
    }
    let outcome: ReturnType<typeof answer>;
    try {
      outcome = answer(method, rawUrl, request.headers, text);
    } catch (error) {
      console.error('[techapi-sandbox]', error);
      return write(response, 500, JSON.stringify(behaviour.errorBody(500, `The sandbox failed: ${(error as Error).message}`)), { 'content-type': JSON_TYPE });
    }
    if (fault === 'drop') {
      // The work is done, the answer is lost: the worst case for a client, which must not repeat a POST.
      request.socket.destroy();
      return;
    }
    send(response, outcome.reply, outcome.operation);
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        const body = JSON.stringify(behaviour.errorBody(413, `The body is larger than ${MAX_BODY_BYTES} bytes`));
        return write(response, 413, body, { 'content-type': JSON_TYPE, connection: 'close' });
      }
      const text = chunks.length === 0 ? '' : chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
      try {
        onRequest(request, response, text);
      } catch (error) {
        console.error('[techapi-sandbox]', error);
        response.destroy();
      }
    });
  });
  await listen(server, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A request's violation in an error message: where (`body /email`, `query dateFin`, `content-type`) and what is wrong. */
export function describeViolation({ location, field, message }: Violation): string {
  return `${location}${field ? ` ${field}` : ''} ${message}`;
}

/** @param headers the answer's own, completed here */
function write(response: ServerResponse, status: number, text: string, headers: Record<string, string>) {
  if (text !== '') headers['content-length'] = String(Buffer.byteLength(text));
  response.writeHead(status, headers);
  response.end(text);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Headers held by lower-case name (Node's request headers, an answer's) read like `Headers`, without building one per message. */
class HeaderReader {
  constructor(private readonly headers: IncomingHttpHeaders | Record<string, string>) {}
  get(name: string): string | null {
    const value = this.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
  has(name: string): boolean {
    return this.headers[name.toLowerCase()] !== undefined;
  }
}

/** A value no one can change: a primitive, or an object frozen all the way down. */
export function isConstant(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isConstant);
}

function isJson(contentType: string | undefined): boolean {
  if (contentType === JSON_TYPE) return true;
  const essence = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return essence === JSON_TYPE || essence.endsWith('+json');
}
