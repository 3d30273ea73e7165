// The retry policy's parts: which methods may be sent twice, which statuses say "try again", how long to
// wait. sleep() runs on vitest's fake timers: what is checked is which timers exist, never how long they took.
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffMs, DEFAULT_RETRY, isIdempotent, isTransient, resolveRetry, retryAfterMs, sleep } from './retry.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the retry policy', () => {
  it('defaults to 3 attempts within 60 s, backoff from 250 ms capped at 10 s (as RetryOptions documents)', () => {
    expect(resolveRetry(undefined)).toEqual({ attempts: 3, maxElapsedMs: 60_000, baseDelayMs: 250, maxDelayMs: 10_000 });
    expect(DEFAULT_RETRY).toEqual(resolveRetry(undefined));
  });

  it("merges the call's options over the client's; `false` (the call's, else the client's) means one attempt", () => {
    expect(resolveRetry({ attempts: 5 }, { baseDelayMs: 1 })).toEqual({ ...DEFAULT_RETRY, attempts: 5, baseDelayMs: 1 });
    expect(resolveRetry(false)).toEqual({ ...DEFAULT_RETRY, attempts: 1 });
    expect(resolveRetry({ attempts: 5 }, false)).toEqual({ ...DEFAULT_RETRY, attempts: 1 });
    expect(resolveRetry(false, { attempts: 4 })).toEqual({ ...DEFAULT_RETRY, attempts: 4 });
    expect(resolveRetry(false, {})).toEqual({ ...DEFAULT_RETRY });
  });

  it('only the methods RFC 9110 calls idempotent may be sent twice, in any case', () => {
    for (const method of ['GET', 'get', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'put', 'DELETE']) expect(isIdempotent(method), method).toBe(true);
    for (const method of ['POST', 'PATCH', 'CONNECT', 'XGET', 'GETS', 'PUT2', '']) expect(isIdempotent(method), method).toBe(false);
  });

  it('500, 502, 503 and 504 are transient; 501, 505 and the rest are not', () => {
    const transient = [499, 500, 501, 502, 503, 504, 505, 429, 200].filter(isTransient);
    expect(transient).toEqual([500, 502, 503, 504]);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('takes whole seconds, spaces around them too', () => {
    expect(retryAfterMs(' 7 ', now)).toBe(7_000);
  });

  it('takes an HTTP date, which starts with a day name; nothing else that Date.parse would read', () => {
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs('1 Jan 2026 00:00:05 GMT', now)).toBeUndefined();
    expect(retryAfterMs('x 2026-01-01', now)).toBeUndefined();
    expect(retryAfterMs('', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe('backoff', () => {
  it('is a random share of base × 2^(retry − 1), capped at maxDelayMs', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5].map((retry) => backoffMs(retry, policy))).toEqual([50, 100, 200, 400, 500]);
  });
});

describe('sleep', () => {
  const settled = async (promise: Promise<void>) => {
    let done = false;
    void promise.then(() => (done = true));
    for (let turn = 0; turn < 5; turn++) await Promise.resolve();
    return done;
  };

  it('ends when its time is up, and not before', async () => {
    vi.useFakeTimers();
    const waiting = sleep(1_000, undefined);
    vi.advanceTimersByTime(999);
    expect(await settled(waiting)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await settled(waiting)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('with a signal aborted already, ends at once and leaves no timer or listener', async () => {
    vi.useFakeTimers();
    const signal = AbortSignal.abort();
    expect(await settled(sleep(1_000, signal))).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('ends when its signal aborts, and leaves no timer or listener', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const waiting = sleep(1_000, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    expect(await settled(waiting)).toBe(false);
    controller.abort();
    expect(await settled(waiting)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('that ends on time removes its abort listener', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const waiting = sleep(10, controller.signal);
    vi.advanceTimersByTime(10);
    expect(await settled(waiting)).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
