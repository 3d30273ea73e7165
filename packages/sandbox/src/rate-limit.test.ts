// The rate limit keeps one window per credential. Through the public API this cannot be shown today: a
// sandbox accepts one Take Control key, and Gestion (whose tokens differ per login) documents no 429, so is
// never limited. So the limiter is tested here directly, on a clock that stands still: no timing involved.
import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { createRateLimiter } from './rate-limit.js';

/** A clock at `now` ms, moved only by `advance`. */
function fixedClock(now: number): Clock {
  return { now: () => now, advance: (ms) => void (now += ms) };
}

describe('the rate limiter', () => {
  it('gives each credential its full allowance in the same second', () => {
    const take = createRateLimiter(3, fixedClock(5_250));
    expect(['a', 'a', 'a', 'a'].map((credential) => take?.(credential))).toEqual([undefined, undefined, undefined, 1]);
    expect(['b', 'b', 'b', 'b'].map((credential) => take?.(credential))).toEqual([undefined, undefined, undefined, 1]);
    expect(take?.('a')).toBe(1);
  });

  it('opens a new window at the next second of the clock, and asks to wait until then (at least 1 s)', () => {
    const clock = fixedClock(7_000);
    const take = createRateLimiter(1, clock);
    expect(take?.('a')).toBeUndefined();
    clock.advance(999);
    expect(take?.('a')).toBe(1);
    clock.advance(1);
    expect(take?.('a')).toBeUndefined();
    expect(take?.('a')).toBe(1);
  });

  it('no limit (undefined or 0) means no limiter; anything else not above 0 is refused', () => {
    expect(createRateLimiter(undefined, fixedClock(0))).toBeUndefined();
    expect(createRateLimiter(0, fixedClock(0))).toBeUndefined();
    expect(() => createRateLimiter(-1, fixedClock(0))).toThrow('rateLimit must be a number of requests per second above 0, got -1');
    expect(() => createRateLimiter(Number.POSITIVE_INFINITY, fixedClock(0))).toThrow(RangeError);
  });
});
