/** When and how often a call is tried again. */
export interface RetryOptions {
  /** Attempts in all, the first one included; default 3. `1` never retries. */
  attempts?: number;
  /**
   * The time budget for retries, from the call's start, in ms; default 60 000. No retry starts past it: a
   * wait that would end later is not taken and the last error is returned. A call therefore ends within
   * about `maxElapsedMs` plus one attempt's timeout.
   */
  maxElapsedMs?: number;
  /** The first backoff delay, doubled at each retry, in ms; default 250. Jittered: the wait is random below it. */
  baseDelayMs?: number;
  /** The longest backoff delay, in ms; default 10 000. A server's `Retry-After` is not capped by it. */
  maxDelayMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, maxElapsedMs: 60_000, baseDelayMs: 250, maxDelayMs: 10_000 };

/** Merges a per-call override over the client's policy; `false` means one attempt. */
export function resolveRetry(client: RetryOptions | false | undefined, call?: RetryOptions | false): RetryPolicy {
  const off = call === false || (call === undefined && client === false);
  return { ...DEFAULT_RETRY, ...client, ...call, ...(off && { attempts: 1 }) };
}

/** Methods that RFC 9110 defines as idempotent: sending one twice has the effect of sending it once. */
export const isIdempotent = (method: string): boolean => /^(GET|HEAD|OPTIONS|TRACE|PUT|DELETE)$/i.test(method);

/** 500, 502, 503, 504 say "try again later"; 501 and 505 say "never". */
export const isTransient = (status: number): boolean => status >= 500 && status <= 504 && status !== 501;

/** The wait a `Retry-After` header asks for (delay-seconds or an HTTP date), in ms; undefined when absent or unusable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  const text = value?.trim() ?? '';
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Every HTTP-date form starts with a day name; Date.parse alone would take "-1" or "1.5" for dates.
  const date = /^[a-z]{3}/i.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter: a random wait below `base * 2^(retry-1)`, capped. */
export function backoffMs(retry: number, policy: RetryPolicy): number {
  return Math.floor(Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1)));
}

/** Waits `ms`, or less if `signal` aborts first. Leaves no timer or listener behind either way. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (signal?.aborted) done();
    else signal?.addEventListener('abort', done);
  });
}
