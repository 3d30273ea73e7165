/** The sandbox's clock: the real one, moved forward by `advance` (token expiry, rate-limit windows). */
export interface Clock {
  now(): number;
  advance(ms: number): void;
}

export function createClock(): Clock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceClock: give a number of milliseconds >= 0, got ${ms}`);
      offset += ms;
    },
  };
}
