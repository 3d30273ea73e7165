import { DEFAULT_MAX_BODY_BYTES, ResponseBodyError, bound, describeCause } from './body.js';
import { messageOf, redact, redactBody, type ApiError, type ApiErrorKind, type ApiResult } from './errors.js';
import { backoffMs, isIdempotent, isTransient, resolveRetry, retryAfterMs, sleep, type RetryOptions } from './retry.js';
import { InputError } from './input.js';
import { fetchTransport, TransportUnavailableError, type Transport } from './transport.js';

/**
 * A call's default timeout through a transport that enforces timeouts itself (undici's): 30 s per attempt.
 * Through global fetch there is none unless asked for: there a timeout needs an AbortSignal per call,
 * which costs Node 20's fetch 10-30% of a call (fetch's own dispatcher in Node still gives up after 300 s).
 */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** How a client sends its calls; both clients accept these options. */
export interface ClientRuntimeOptions {
  /**
   * How requests go on the wire. Default: global fetch, looked up on each call, in every runtime: what MSW,
   * a replaced `globalThis.fetch` and (in Node) an undici `MockAgent` intercept. In Node,
   * `undiciTransport()` is the faster path, unseen by interception-based mocks.
   */
  transport?: Transport;
  /** A fetch that receives a WHATWG `Request` (e.g. a test double); ignored when `transport` is given. Given alone, it replaces the default transport. */
  fetch?: (input: Request) => Promise<Response>;
  /**
   * Each attempt's timeout in ms, request and response body; 0 for none. Default: none with global fetch,
   * 30 000 with the undici transport (see {@link DEFAULT_TIMEOUT_MS}).
   */
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
  /**
   * Called before each wait for a retry, with the error that caused it and the wait (a 429's `Retry-After`
   * when the server sent one): lets a caller show why a call takes long. If it throws, the call rejects.
   */
  onRetry?: (retry: { attempt: number; waitMs: number; error: ApiError }) => void;
}

/** What the runtime passes to each attempt: spread it into the openapi-fetch call's options. */
export interface AttemptInit {
  signal: AbortSignal | undefined;
  /** Sends the request through the transport, the response body bounded, and notes the response. */
  fetch: (request: Request) => Promise<Response>;
}

/** What the runtime needs to know about a call. */
export interface CallSpec {
  /** The operationId, named in errors. */
  operation: string;
  /** The HTTP method: decides whether 5xx, timeouts and dropped connections are retried. */
  method: string;
  /** Values (keys, tokens, passwords) to keep out of every error. */
  secrets: readonly string[];
  /** This call's transport, over the client's (e.g. one that can send a GET with a body). */
  transport?: Transport;
}

/** What an openapi-fetch call resolves with, reduced to the parts the runtime reads. */
export interface FetchOutcome {
  data?: unknown;
  error?: unknown;
  response: Response;
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

/** The longest delay setTimeout takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createRuntime(options: ClientRuntimeOptions = {}): Runtime {
  const { maxBodyBytes = DEFAULT_MAX_BODY_BYTES } = options;
  const clientPolicy = resolveRetry(options.retry);
  const clientTransport = options.transport ?? (options.fetch ? { Request, fetch: options.fetch } : fetchTransport());
  // Promise chains rather than async functions: each async layer costs a promise and a turn per call.
  const boundIfStreamed = (response: Response) => (response.body ? bound(response, maxBodyBytes) : response);
  const send = (request: Request, transport = clientTransport, timeoutMs?: number): Promise<Response> =>
    transport.fetch(request, { maxBodyBytes, timeoutMs }).then(boundIfStreamed);

  return {
    wire: { Request: clientTransport.Request, fetch: (request) => send(request) },

    async call<Data, Status extends number>(
      spec: CallSpec,
      init: CallOptions,
      run: (attempt: AttemptInit) => Promise<FetchOutcome>,
    ): Promise<ApiResult<Data, Status>> {
      const { operation, secrets, transport = clientTransport } = spec;
      const { signal: callerSignal } = init;
      const policy = init.retry === undefined ? clientPolicy : resolveRetry(options.retry, init.retry);
      const requestedMs = init.timeoutMs ?? options.timeoutMs ?? (transport.timesOut ? DEFAULT_TIMEOUT_MS : 0);
      // setTimeout fires at once past 2^31-1 ms: such a timeout means none.
      const timeoutMs = requestedMs > 0 && requestedMs <= MAX_TIMER_MS ? requestedMs : 0;
      // Built only on the paths that need them: a call that succeeds allocates as little as it can.
      const timedOutMessage = () => `The call timed out after ${timeoutMs} ms`;
      const deadline = Date.now() + policy.maxElapsedMs;
      const fail = (kind: ApiErrorKind, message: string, response?: Response) => ({
        error: { kind, operation, status: 0 as const, message: redact(message, secrets) },
        response,
      });

      for (let attempts = 0; ; ) {
        if (callerSignal?.aborted) return withAttempts(fail('aborted', `The call was aborted: ${describeCause(callerSignal.reason)}`), attempts);
        attempts++;
        let response: Response | undefined;
        let signal = callerSignal;
        let timer: ReturnType<typeof setTimeout> | undefined;
        let timedOut = false;
        let forwardAbort: (() => void) | undefined;
        if (timeoutMs && !transport.timesOut) {
          // One controller for both the timeout and the caller's signal; both listeners go in `finally`,
          // so no timer outlives the attempt (AbortSignal.timeout's would, until it fires).
          const controller = new AbortController();
          timer = setTimeout(() => {
            timedOut = true;
            controller.abort(new DOMException(timedOutMessage(), 'TimeoutError'));
          }, timeoutMs);
          forwardAbort = () => controller.abort(callerSignal?.reason);
          callerSignal?.addEventListener('abort', forwardAbort);
          signal = controller.signal;
        }
        let result: ApiResult<Data, Status>;
        /** Whether this failure may be sent again: 0 never, 1 for idempotent methods, 2 whatever the method. */
        let retry = 0;
        let waitMs: number | undefined;
        /** Whether the request reached the transport: a failure before is the input's, not the network's. */
        let built = false;
        try {
          const outcome = await run({
            signal,
            fetch: (request) => {
              built = true;
              return send(request, transport, timeoutMs).then((sent) => (response = sent));
            },
          });
          response = outcome.response;
          if (response.ok) return { data: outcome.data as Data, response };
          result = httpError(operation, response, outcome.error, secrets);
          retry = response.status === 429 ? 2 : Number(isTransient(response.status));
          waitMs = retryAfterMs(response.headers.get('retry-after'));
        } catch (cause) {
          // Which signal fired says what happened, whatever error the transport made of it.
          if (callerSignal?.aborted) continue;
          // The transport cannot send here at all: each attempt would fail the same way.
          if (cause instanceof TransportUnavailableError) return withAttempts(fail('unsupported', cause.message), attempts);
          if (!built) {
            // Nothing is on the wire (openapi-fetch refused a value, a body would not serialize): sent
            // again, it would fail the same way.
            const detail = cause instanceof InputError ? cause.message : `The request could not be built from the input: ${describeCause(cause)}`;
            return withAttempts(fail('invalid-input', detail), attempts);
          }
          response = cause instanceof ResponseBodyError ? cause.response : response;
          const detail = describeCause(cause);
          if (timedOut || (cause as Error | undefined)?.name === 'TimeoutError') {
            result = fail('timeout', timedOutMessage());
            retry = 1;
          } else if (!response) {
            result = fail('network', `The request could not be sent: ${detail}`);
            // A refused connection sent nothing: safe to retry whatever the method.
            retry = /ECONNREFUSED/.test(detail) ? 2 : 1;
          } else {
            // The response came but its body is unusable: too large, cut short, or (2xx) not JSON.
            const note =
              cause instanceof ResponseBodyError
                ? detail
                : `The response body ${cause instanceof SyntaxError ? 'is not valid JSON' : 'could not be read in full'}: ${detail}`;
            result = response.ok ? fail('invalid-response', note, response) : httpError(operation, response, undefined, secrets, note);
            retry = Number(!response.ok && isTransient(response.status));
          }
        } finally {
          clearTimeout(timer);
          if (forwardAbort) callerSignal?.removeEventListener('abort', forwardAbort);
        }
        // No retry starts past the call's time budget, so a call ends within maxElapsedMs + timeoutMs.
        const wait = waitMs ?? backoffMs(attempts, policy);
        if (retry < (isIdempotent(spec.method) ? 1 : 2) || attempts >= policy.attempts || Date.now() + wait >= deadline) {
          return withAttempts(result, attempts);
        }
        if (result.error) init.onRetry?.({ attempt: attempts, waitMs: wait, error: result.error });
        await sleep(wait, callerSignal); // an abort ends the wait, and the next turn returns `aborted`
      }
    },
  };
}

/** The result of a non-2xx response whose body (JSON when it parses, else text) is `body`. */
function httpError<Status extends number>(
  operation: string,
  response: Response,
  body: unknown,
  secrets: readonly string[],
  note?: string,
): { error: ApiError<Status>; response: Response } {
  const message = messageOf(body, response.status);
  return {
    error: {
      kind: 'http',
      operation,
      status: response.status as Status,
      message: redact(note ? `${message} (${note})` : message, secrets),
      body: redactBody(body, secrets),
    },
    response,
  };
}

function withAttempts<Result extends ApiResult<unknown>>(result: Result, attempts: number): Result {
  if (result.error) result.error.attempts = attempts;
  return result;
}

/**
 * Runs one openapi-fetch call made outside a client method (e.g. through a client's `http`) and turns it
 * into an {@link ApiResult}, once, without a timeout or retries.
 */
export function toResult<Data, Status extends number>(
  operation: string,
  secrets: readonly string[],
  send: () => Promise<FetchOutcome>,
): Promise<ApiResult<Data, Status>> {
  return createRuntime({ retry: false, timeoutMs: 0 }).call({ operation, method: 'POST', secrets }, {}, send);
}
