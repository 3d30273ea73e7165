import { DEFAULT_MAX_BODY_BYTES, ResponseBodyError, boundResponse, readBoundedText } from './body.js';
import type { ApiError } from './errors.js';
import { bodyErrorResult, httpErrorResult, transportError, type ApiResult, type FetchOutcome } from './result.js';
import {
  backoffMs,
  isIdempotent,
  isTransientStatus,
  resolveRetry,
  retryAfterMs,
  sleep,
  type RetryOptions,
} from './retry.js';
import { fetchTransport, type Transport } from './transport.js';

/** A call's default timeout: 30 s per attempt. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** How a client sends its calls; both clients accept these options. */
export interface ClientRuntimeOptions {
  /**
   * How requests go on the wire. Default: global fetch (portable). In Node, `undiciTransport()` from the
   * package's Node entry is faster and is the one that can send a GET with a body.
   */
  transport?: Transport;
  /** A fetch that receives a WHATWG `Request` (e.g. a test double); ignored when `transport` is given. */
  fetch?: (input: Request) => Promise<Response>;
  /** Each attempt's timeout in ms (request and response body); default 30 000; 0 for none. */
  timeoutMs?: number;
  /** Retries of 429s, transient 5xx and network errors (see {@link RetryOptions}); `false` never retries. */
  retry?: RetryOptions | false;
  /** The largest response body read, in bytes; default 10 MiB. A larger one is an `invalid-response` error. */
  maxBodyBytes?: number;
}

/** Options of one call. */
export interface CallOptions {
  /** Cancels the call, its retries and waits included; it then ends with an `aborted` error. */
  signal?: AbortSignal;
  /** Extra request headers for this call (e.g. `Prefer` for a Prism mock). */
  headers?: Record<string, string>;
  /** This call's timeout per attempt, in ms, over the client's. */
  timeoutMs?: number;
  /** This call's retry policy, merged over the client's; `false` never retries. */
  retry?: RetryOptions | false;
}

/** What the runtime passes to each attempt: spread it into the openapi-fetch call's options. */
export interface AttemptInit {
  signal: AbortSignal | undefined;
  /** The runtime reads 2xx bodies itself, bounded and parsed as JSON. */
  parseAs: 'stream';
}

/** What the runtime needs to know about a call. */
export interface CallSpec {
  /** The operationId, named in errors. */
  operation: string;
  /** The HTTP method: decides whether 5xx, timeouts and dropped connections are retried. */
  method: string;
  /** Overrides the method's idempotency (e.g. a GET that changes something); default: RFC 9110's. */
  idempotent?: boolean;
  /** Values (keys, tokens, passwords) to keep out of every error. */
  secrets: readonly string[];
}

export interface Runtime {
  /** Spread into openapi-fetch's `createClient` options: the transport, with response bodies bounded. */
  readonly wire: { Request: typeof Request; fetch: (request: Request) => Promise<Response> };
  /**
   * Runs one call: each attempt with its timeout and the caller's signal, retried as the policy allows,
   * ending in an {@link ApiResult} that never holds a secret and never throws.
   */
  call<Data, Status extends number>(
    spec: CallSpec,
    init: CallOptions,
    send: (attempt: AttemptInit) => Promise<FetchOutcome>,
  ): Promise<ApiResult<Data, Status>>;
}

/** setTimeout fires at once past this: such a timeout means none. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** When an attempt's failure may be tried again: for every method, for idempotent ones only, or never. */
type Retryable = 'any-method' | 'idempotent' | 'no';

interface Attempted<Data, Status extends number> {
  result: ApiResult<Data, Status>;
  retryable: Retryable;
  /** The wait the server asked for (Retry-After). */
  waitMs?: number | undefined;
}

export function createRuntime(options: ClientRuntimeOptions = {}): Runtime {
  const transport: Transport =
    options.transport ?? (options.fetch ? { Request: globalThis.Request, fetch: options.fetch } : fetchTransport());
  const newAbortController = transport.abortController ?? (() => new AbortController());
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const sendOptions = { maxBodyBytes };

  const wire = {
    Request: transport.Request,
    async fetch(request: Request): Promise<Response> {
      return boundResponse(await transport.fetch(request, sendOptions), maxBodyBytes);
    },
  };

  async function attempt<Data, Status extends number>(
    spec: CallSpec,
    callerSignal: AbortSignal | undefined,
    timeoutMs: number,
    send: (attempt: AttemptInit) => Promise<FetchOutcome>,
  ): Promise<Attempted<Data, Status>> {
    const { operation, secrets } = spec;
    let signal = callerSignal;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    let forwardAbort: (() => void) | undefined;
    if (timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS) {
      // One controller for both the timeout and the caller's signal; both listeners go in `finally`,
      // so no timer outlives the call (AbortSignal.timeout's would, until it fires).
      const controller = newAbortController();
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new DOMException(`The call timed out after ${timeoutMs} ms`, 'TimeoutError'));
      }, timeoutMs);
      if (callerSignal) {
        forwardAbort = () => controller.abort(callerSignal.reason);
        callerSignal.addEventListener('abort', forwardAbort, { once: true });
      }
      signal = controller.signal;
    }
    try {
      const outcome = await send({ signal, parseAs: 'stream' });
      const { response } = outcome;
      if (!response.ok) {
        const status = response.status;
        const retryable = status === 429 ? 'any-method' : isTransientStatus(status) ? 'idempotent' : 'no';
        return {
          result: httpErrorResult(operation, response, outcome.error, secrets),
          retryable,
          waitMs: retryable === 'no' ? undefined : retryAfterMs(response.headers.get('retry-after')),
        };
      }
      const text = await readBoundedText(response, maxBodyBytes);
      try {
        return { result: { data: (text === '' ? undefined : JSON.parse(text)) as Data, response }, retryable: 'no' };
      } catch (cause) {
        return { result: { error: transportError('invalid-response', operation, cause, secrets), response }, retryable: 'no' };
      }
    } catch (cause) {
      // Which signal fired says what happened, whatever error the transport made of it.
      if (callerSignal?.aborted) return { result: { error: aborted(operation, callerSignal.reason, secrets) }, retryable: 'no' };
      if (timedOut) {
        const error = transportError<Status>('timeout', operation, undefined, secrets, `The call timed out after ${timeoutMs} ms`);
        return { result: { error }, retryable: 'idempotent' };
      }
      if (cause instanceof ResponseBodyError) {
        const result = bodyErrorResult<Status>(operation, cause, secrets);
        return { result, retryable: !cause.response.ok && isTransientStatus(cause.response.status) ? 'idempotent' : 'no' };
      }
      // A refused connection sent nothing: safe to retry whatever the method.
      const retryable = connectionRefused(cause) ? 'any-method' : 'idempotent';
      return { result: { error: transportError('network', operation, cause, secrets) }, retryable };
    } finally {
      clearTimeout(timer);
      if (forwardAbort) callerSignal?.removeEventListener('abort', forwardAbort);
    }
  }

  return {
    wire,
    async call<Data, Status extends number>(
      spec: CallSpec,
      init: CallOptions,
      send: (attempt: AttemptInit) => Promise<FetchOutcome>,
    ): Promise<ApiResult<Data, Status>> {
      const policy = resolveRetry(options.retry, init.retry);
      const timeoutMs = init.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const idempotent = spec.idempotent ?? isIdempotent(spec.method);
      const deadline = Date.now() + policy.maxElapsedMs;
      for (let count = 1; ; count++) {
        if (init.signal?.aborted) return withAttempts({ error: aborted(spec.operation, init.signal.reason, spec.secrets) }, count - 1);
        const outcome = await attempt<Data, Status>(spec, init.signal, timeoutMs, send);
        const retry = outcome.retryable === 'any-method' || (outcome.retryable === 'idempotent' && idempotent);
        if (!retry || count >= policy.attempts) return withAttempts(outcome.result, count);
        // No retry starts past the call's time budget, so a call ends within maxElapsedMs + timeoutMs.
        const wait = outcome.waitMs ?? backoffMs(count, policy);
        if (Date.now() + wait >= deadline) return withAttempts(outcome.result, count);
        if (!(await sleep(wait, init.signal))) {
          return withAttempts({ error: aborted(spec.operation, init.signal?.reason, spec.secrets) }, count);
        }
      }
    },
  };
}

function withAttempts<Data, Status extends number>(result: ApiResult<Data, Status>, attempts: number): ApiResult<Data, Status> {
  if (result.error) result.error.attempts = attempts;
  return result;
}

function aborted<Status extends number>(operation: string, reason: unknown, secrets: readonly string[]): ApiError<Status> {
  return transportError('aborted', operation, reason, secrets);
}

function connectionRefused(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if ((current as { code?: unknown }).code === 'ECONNREFUSED') return true;
  }
  return false;
}
