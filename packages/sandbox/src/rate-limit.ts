import type { Clock } from './clock.js';

/**
 * A limit of `perSecond` requests per credential in each second of the sandbox clock (fixed windows).
 * `take` answers undefined when the request may go on, else the seconds to wait (for `Retry-After`).
 */
export function createRateLimiter(perSecond: number | undefined, clock: Clock): ((credential: string) => number | undefined) | undefined {
  if (!perSecond) return undefined;
  if (!(Number.isFinite(perSecond) && perSecond > 0)) throw new RangeError(`rateLimit must be a number of requests per second above 0, got ${perSecond}`);
  const windows = new Map<string, { second: number; count: number }>();
  return (credential) => {
    const now = clock.now();
    const second = Math.floor(now / 1000);
    let window = windows.get(credential);
    if (!window || window.second !== second) {
      if (windows.size > 10_000) windows.clear(); // many one-off credentials: old windows are worthless
      window = { second, count: 0 };
      windows.set(credential, window);
    }
    if (window.count < perSecond) {
      window.count++;
      return undefined;
    }
    return Math.max(1, Math.ceil(((second + 1) * 1000 - now) / 1000));
  };
}
