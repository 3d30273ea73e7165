// One API of the sandbox, whatever carries its requests (a node:http server, MSW handlers). Every request on
// a vendor path goes through the same steps: the operation it is for (404/405 otherwise), the credential (the
// API's own answers), the rate limit (only where the spec documents 429), the request checked against the spec
// (the API's documented answer to invalid input, a body that is not UTF-8 included), the handler; then the
// answer is checked against the spec before it leaves, and a violation becomes a 500 that names it. Faults and
// latency wrap all of that. Each request is written to the journal (credentials redacted) and shown to the
// client watches, which note findings. `/__sandbox/*` is the inspection interface, outside the vendors' paths.
import { formatViolation, type SpecOperation, type SpecValidator, type Violation } from '@techapi/openapi-validator';
import type { ApiBehaviour, Reply, RequestHeaders, SandboxRequest } from './behaviour.js';
import type { Clock } from './clock.js';
import { asRequestFault, createFaultQueue, faultLatencyMs, parseFault, type Fault, type RequestFault } from './faults.js';
import { combineWatches, watchRetryAfter, type ClientWatch, type Finding, type FindingDraft } from './findings.js';
import { FAULT_HEADER, type HeldEntry, type JournalEntry, type RequestFilter } from './journal.js';

/** A request as it came off the wire. */
export interface WireRequest {
  method: string;
  /** The path and query as sent, e.g. `/tech?x=1`. */
  url: string;
  /** By lower-case name. */
  headers: RequestHeaders;
  /** The body's bytes (empty when there is none), or its text when the carrier already has it as text. */
  body: Uint8Array | string;
}

/** What goes back: an answer, or `'drop'` for a connection closed without one. */
export type Outcome = WireAnswer | 'drop';

export interface WireAnswer {
  status: number;
  /** Lower-case names; `content-type` set when there is a body. */
  headers: Record<string, string>;
  /** The body as text; empty when there is none. */
  text: string;
}

export interface EngineOptions {
  behaviour: ApiBehaviour;
  /** The validator of the behaviour's spec. */
  validator: SpecValidator;
  clock: Clock;
  /** `take(credential)`: undefined to go on, else the seconds to wait. Absent: no limit. */
  rateLimit: ((credential: string) => number | undefined) | undefined;
  latencyMs: number;
  drawFault: () => Fault;
  /** Where requests and findings are kept, shared by the sandbox's APIs. Default: nowhere. */
  recorder?: Recorder;
}

/** The sandbox's journal and findings, as one API's engine writes and reads them. */
export interface Recorder {
  /** Whether requests are kept (a journal limit of 0 keeps none, and costs nothing per request). */
  readonly journaling: boolean;
  nextSeq(): number;
  record(entry: HeldEntry): void;
  report(api: string, drafts: FindingDraft[], at: number): void;
  requests(filter: RequestFilter): JournalEntry[];
  findings(api: string): Finding[];
  /** Forgets this API's requests and findings. */
  clear(api: string): void;
}

export interface ApiEngine {
  readonly name: string;
  /**
   * Answers a request: synchronously unless latency is added (no promise per request), so the state
   * changes in arrival order.
   */
  handle(request: WireRequest, respond: (outcome: Outcome) => void): void;
  /** An answer outside the spec's operations, in the API's error shape (e.g. a carrier's 413). */
  errorAnswer(status: number, message: string, headers?: Record<string, string>): WireAnswer;
  /** The spec's operationIds this engine answers. */
  readonly operationIds: readonly string[];
  /** Gives the next request for this operation the fault (queued: several calls, several requests). */
  failNext(operationId: string, fault: RequestFault): void;
  /** Empties the API's state (restoring its seed), its journal, findings and queued faults. */
  reset(): void;
}

const JSON_TYPE = 'application/json';

const NO_RECORDER: Recorder = {
  journaling: false,
  nextSeq: () => 0,
  record: () => {},
  report: () => {},
  requests: () => [],
  findings: () => [],
  clear: () => {},
};
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function createApiEngine(options: EngineOptions): ApiEngine {
  const { behaviour, validator, clock, rateLimit, latencyMs, drawFault, recorder = NO_RECORDER } = options;
  const clientOf = behaviour.clientOf ?? (() => '');
  const api = behaviour.name;
  const contractName = `dist/specs/${api}.json`;
  const operationIds = Object.keys(behaviour.handlers);
  const newWatch = () => combineWatches([watchRetryAfter(), ...(behaviour.watchClients ? [behaviour.watchClients()] : [])]);
  let watch: ClientWatch = newWatch();
  const queuedFaults = createFaultQueue();

  const errorAnswer = (status: number, message: string, headers: Record<string, string> = {}): WireAnswer => ({
    status,
    headers: { ...headers, 'content-type': JSON_TYPE },
    text: JSON.stringify(behaviour.errorBody(status, message)),
  });

  /** The steps from the checked request to the answer, all synchronous: the state changes at once, in arrival order. */
  function answer({ method, rawUrl, headers, text, json, checked }: Arrival): { reply: Reply; operation?: SpecOperation } {
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
    if (text === undefined) {
      // Decoding it would store U+FFFD where the client meant another character: a name garbled for good.
      const violation: Violation = { operationId: operation.operationId, direction: 'request', location: 'body', field: '', message: 'is not valid UTF-8: send JSON encoded as UTF-8' };
      return { reply: behaviour.invalidRequest(operation.operationId, [violation]), operation };
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
  function toWire(reply: Reply, operation: SpecOperation | undefined): WireAnswer {
    const text = reply.body === undefined ? '' : (constantTexts.get(reply.body as object) ?? JSON.stringify(reply.body));
    const headers: Record<string, string> = reply.headers ?? {};
    if (text !== '') headers['content-type'] = JSON_TYPE;
    if (operation && !checkedBefore(operation, reply)) {
      const violations = validator.checkResponse(operation, { status: reply.status, headers: new HeaderReader(headers), body: text, json: reply.body });
      if (violations.length > 0) {
        const message = `The sandbox's answer broke the contract (${contractName}): ${violations.map(formatViolation).join('; ')}`;
        console.error(`[techapi-sandbox] ${message}`);
        return errorAnswer(500, message);
      }
      if (reply.headers === undefined && typeof reply.body === 'object' && reply.body !== null && isConstant(reply.body)) remember(operation, reply);
    }
    return { status: reply.status, headers, text };
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

  function reset() {
    behaviour.reset();
    queuedFaults.clear();
    watch = newWatch();
    recorder.clear(api);
  }

  function failNext(operationId: string, fault: RequestFault) {
    if (!operationIds.includes(operationId)) throw new TypeError(`failNext: ${api} has no operation "${operationId}" (it has ${operationIds.join(', ')})`);
    queuedFaults.add(operationId, parseFault(fault));
  }

  /** `/__sandbox/*`: inspection and control, on every API's port. */
  function control(method: string, path: string, query: URLSearchParams, text: string): Reply {
    if (method === 'GET' && path === '/__sandbox/state') return { status: 200, body: behaviour.state() };
    if (method === 'GET' && path === '/__sandbox/requests') {
      const filter: RequestFilter = { api };
      const operationId = query.get('operationId');
      const status = query.get('status');
      if (operationId) filter.operationId = operationId;
      if (status) {
        if (!/^\d{3}$/.test(status)) throw new Error(`status must be a 3-digit HTTP status, got "${status}"`);
        filter.status = Number(status);
      }
      return { status: 200, body: recorder.requests(filter) };
    }
    if (method === 'GET' && path === '/__sandbox/findings') return { status: 200, body: recorder.findings(api) };
    if (method === 'POST' && path === '/__sandbox/fail-next') {
      const { operationId, fault } = JSON.parse(text || '{}') as { operationId?: unknown; fault?: unknown };
      failNext(String(operationId), fault as RequestFault);
      return { status: 204 };
    }
    if (method === 'POST' && path === '/__sandbox/reset') {
      reset();
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
    return {
      status: 404,
      body: {
        status: 404,
        message: `No sandbox endpoint ${method} ${path}: GET /__sandbox/state, /__sandbox/requests, /__sandbox/findings; POST /__sandbox/reset, /__sandbox/seed, /__sandbox/clock, /__sandbox/fail-next`,
      },
    };
  }

  /** Answers an arrived request, with its fault, then journals its status and shows it to the watches. */
  function respond(arrival: Arrival, fault: RequestFault | undefined, entry: HeldEntry | undefined, done: (outcome: Outcome) => void) {
    let outcome: Outcome;
    let reply: Reply | undefined;
    if (fault === 503 || fault === 429) {
      // Injected on purpose, outside the spec: a server can fail this way and clients must cope.
      outcome =
        fault === 503
          ? errorAnswer(503, 'Service unavailable (a fault injected by the sandbox)')
          : errorAnswer(429, 'Too many requests', { 'retry-after': '1' });
    } else if (fault === 'drop-before') {
      outcome = 'drop';
    } else {
      let answered: ReturnType<typeof answer>;
      try {
        answered = answer(arrival);
        reply = answered.reply;
        outcome = toWire(answered.reply, answered.operation);
      } catch (error) {
        console.error('[techapi-sandbox]', error);
        outcome = errorAnswer(500, `The sandbox failed: ${(error as Error).message}`);
      }
    }
    const status = outcome === 'drop' ? null : outcome.status;
    // The work is done, the answer is lost: the worst case for a client, which must not repeat a POST.
    if (fault === 'drop-after') outcome = 'drop';
    if (entry) entry.status = status;
    const drafts = watch.observe({
      seq: arrival.seq,
      arrivedAt: arrival.at,
      answeredAt: clock.now(),
      operationId: arrival.checked.operation?.operationId,
      headers: arrival.headers,
      body: arrival.json,
      client: clientOf(arrival.headers),
      answer: outcome === 'drop' ? undefined : { status: outcome.status, headers: outcome.headers, body: reply && reply.status === outcome.status ? reply.body : undefined },
    });
    if (drafts.length > 0) recorder.report(api, drafts, arrival.at);
    done(outcome);
  }

  return {
    name: api,
    operationIds,
    errorAnswer,
    failNext,
    reset,
    handle(request, done) {
      const { method, url: rawUrl } = request;
      const text = decode(request.body);
      if (rawUrl.startsWith('/__sandbox/')) {
        let reply: Reply;
        try {
          if (text === undefined) throw new Error('the body is not valid UTF-8');
          const query = rawUrl.indexOf('?');
          reply = control(method, query < 0 ? rawUrl : rawUrl.slice(0, query), new URLSearchParams(query < 0 ? '' : rawUrl.slice(query + 1)), text);
        } catch (error) {
          reply = { status: 400, body: { status: 400, message: (error as Error).message } };
        }
        return done({ status: reply.status, headers: reply.body === undefined ? {} : { 'content-type': JSON_TYPE }, text: reply.body === undefined ? '' : JSON.stringify(reply.body) });
      }
      const seq = recorder.nextSeq();
      const at = clock.now();
      let headers = request.headers;
      const faultHeader = headers[FAULT_HEADER];
      if (faultHeader !== undefined) {
        // Read and stripped: the request is checked as the client would send it without the sandbox.
        headers = { ...headers };
        delete headers[FAULT_HEADER];
      }
      let json: unknown;
      if (text && isJson(headers['content-type'])) {
        try {
          json = JSON.parse(text);
        } catch {
          // left undefined: the validator reports the body as not JSON
        }
      }
      const checked = validator.checkRequest({ method, url: `http://sandbox${rawUrl}`, headers: new HeaderReader(headers), body: text || undefined, json });
      const arrival: Arrival = { seq, at, method, rawUrl, headers, text, json, checked };
      const drawn = asRequestFault(drawFault());
      let fault: RequestFault | undefined;
      let refusal: WireAnswer | undefined;
      if (faultHeader !== undefined) {
        try {
          fault = parseFault(Array.isArray(faultHeader) ? faultHeader.join(',') : faultHeader);
        } catch (error) {
          refusal = errorAnswer(400, `X-Sandbox-Fault: ${(error as Error).message}`);
        }
      }
      if (!refusal) fault ??= queuedFaults.take(checked.operation?.operationId) ?? drawn;
      let entry: HeldEntry | undefined;
      if (recorder.journaling) {
        entry = { seq, at, api, operationId: checked.operation?.operationId, method, rawUrl, headers, text, fault, status: null, redaction: behaviour };
        if (text === undefined) entry.bytes = request.body as Uint8Array;
        recorder.record(entry);
      }
      if (refusal) {
        if (entry) entry.status = refusal.status;
        return done(refusal);
      }
      const delayMs = latencyMs + faultLatencyMs(fault);
      if (delayMs > 0) setTimeout(respond, delayMs, arrival, fault, entry, done);
      else respond(arrival, fault, entry, done);
    },
  };
}

/** A request on a vendor path once read: its number, arrival time, body parsed and checked against the spec. */
interface Arrival {
  seq: number;
  at: number;
  method: string;
  rawUrl: string;
  headers: RequestHeaders;
  /** undefined when the body's bytes are not UTF-8. */
  text: string | undefined;
  json: unknown;
  checked: ReturnType<SpecValidator['checkRequest']>;
}

/** The body as text; undefined when its bytes are not UTF-8. */
function decode(body: Uint8Array | string): string | undefined {
  if (typeof body === 'string') return body;
  if (body.length === 0) return '';
  try {
    return utf8.decode(body);
  } catch {
    return undefined;
  }
}

/** Headers held by lower-case name (Node's request headers, an answer's) read like `Headers`, without building one per message. */
class HeaderReader {
  constructor(private readonly headers: RequestHeaders) {}
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

function isJson(contentType: string | string[] | undefined): boolean {
  if (contentType === JSON_TYPE) return true;
  const essence = (typeof contentType === 'string' ? contentType : '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return essence === JSON_TYPE || essence.endsWith('+json');
}
