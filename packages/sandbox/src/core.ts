// The sandbox without its carrier: both APIs' behaviours and engines, sharing one clock, one rate limiter and
// one fault sequence, and the control every carrier exposes the same way (state, seed, reset, clock). The
// node:http servers (sandbox.ts) and MSW handlers are built on it, so they behave alike.
import { createSpecValidator } from '@techapi/openapi-validator';
import type { ApiBehaviour } from './behaviour.js';
import { createClock } from './clock.js';
import { createApiEngine, type ApiEngine } from './engine.js';
import { createFaults, type FaultOptions } from './faults.js';
import { createRateLimiter } from './rate-limit.js';
import { SPECS } from './specs.js';
import { takeControlBehaviour, type TakeControlOptions, type TakeControlSeed, type TakeControlState } from './take-control/index.js';
import { technicienBehaviour, type TechnicienOptions, type TechnicienSeed, type TechnicienState } from './technicien/index.js';

export type ApiName = 'take-control' | 'technicien';

/** The APIs, in the order their ports are given out. */
export const API_NAMES: readonly ApiName[] = ['take-control', 'technicien'];

/** What the sandbox does, whatever carries its requests. */
export interface CoreOptions {
  /** The APIs to serve; default both. */
  apis?: ApiName[];
  /** Requests per second per credential, on operations whose spec documents 429; undefined or 0: no limit. */
  rateLimit?: number;
  /** Milliseconds added before each answer on a vendor path; default 0. */
  latencyMs?: number;
  /** Injected faults, drawn from a seeded sequence; default none. */
  faults?: FaultOptions;
  takeControl?: TakeControlOptions;
  technicien?: TechnicienOptions;
}

export interface SandboxState {
  'take-control'?: TakeControlState;
  technicien?: TechnicienState;
}

export interface SeedData {
  'take-control': TakeControlSeed;
  technicien: TechnicienSeed;
}

/** The control of a sandbox from code, the same for its servers and its MSW handlers. */
export interface SandboxControl {
  /** A copy of each served API's state. */
  state(): SandboxState;
  /** Adds seed data to an API, now and after every reset. */
  seed<A extends ApiName>(api: A, data: SeedData[A]): void;
  /** Empties every API's state and restores its seed. */
  reset(): void;
  /** Moves the sandbox clock forward: token expiry and rate-limit windows follow it. */
  advanceClock(ms: number): void;
}

export interface SandboxCore {
  /** Each served API's engine, in the order of `apis`. */
  readonly engines: ReadonlyMap<ApiName, ApiEngine>;
  readonly control: SandboxControl;
}

export function createSandboxCore(options: CoreOptions = {}): SandboxCore {
  const apis = options.apis ?? [...API_NAMES];
  for (const api of apis) if (!API_NAMES.includes(api)) throw new TypeError(`Unknown API "${api}". Known APIs: ${API_NAMES.join(', ')}.`);
  if (apis.length === 0 || new Set(apis).size !== apis.length) throw new TypeError('apis: give each API at most once, and at least one');
  const { latencyMs = 0 } = options;
  if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) throw new RangeError(`latencyMs must be >= 0, got ${latencyMs}`);

  const clock = createClock();
  const rateLimit = createRateLimiter(options.rateLimit, clock);
  const drawFault = createFaults(options.faults);
  const behaviours = new Map<ApiName, ApiBehaviour>();
  const engines = new Map<ApiName, ApiEngine>();
  for (const api of apis) {
    const validator = createSpecValidator(SPECS[api]);
    const behaviour =
      api === 'take-control' ? takeControlBehaviour(options.takeControl ?? {}, clock) : technicienBehaviour(options.technicien ?? {}, clock, validator);
    behaviours.set(api, behaviour);
    engines.set(api, createApiEngine({ behaviour, validator, clock, rateLimit, latencyMs, drawFault }));
  }

  return {
    engines,
    control: {
      state: () => Object.fromEntries([...behaviours].map(([api, behaviour]) => [api, behaviour.state()])) as SandboxState,
      seed(api, data) {
        const behaviour = behaviours.get(api);
        if (!behaviour) throw new TypeError(`seed: the sandbox does not serve "${api}" (it serves ${[...behaviours.keys()].join(', ')})`);
        behaviour.seed(data);
      },
      reset() {
        for (const behaviour of behaviours.values()) behaviour.reset();
      },
      advanceClock: (ms) => clock.advance(ms),
    },
  };
}
