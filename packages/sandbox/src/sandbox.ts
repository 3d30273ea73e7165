import { createSpecValidator } from '@techapi/openapi-validator';
import { createClock } from './clock.js';
import { createFaults, type FaultOptions } from './faults.js';
import { serveApi, type ApiBehaviour, type ApiServer } from './http.js';
import { createRateLimiter } from './rate-limit.js';
import { SPECS } from './specs.js';
import { takeControlBehaviour, type TakeControlOptions, type TakeControlSeed, type TakeControlState } from './take-control/index.js';
import { technicienBehaviour, type TechnicienOptions, type TechnicienSeed, type TechnicienState } from './technicien/index.js';

export type ApiName = 'take-control' | 'technicien';

/** The APIs, in the order their ports are given out. */
export const API_NAMES: readonly ApiName[] = ['take-control', 'technicien'];

export interface SandboxOptions {
  /** The APIs to serve; default both. */
  apis?: ApiName[];
  /** The first API's port, the next API's is port+1. 0 (default): each on a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
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

export interface Sandbox {
  /** Each served API's base URL, e.g. `{ 'take-control': 'http://127.0.0.1:4020', technicien: 'http://127.0.0.1:4021' }`. */
  readonly urls: Partial<Record<ApiName, string>>;
  /** A copy of each served API's state. */
  state(): SandboxState;
  /** Adds seed data to an API, now and after every reset. */
  seed<A extends ApiName>(api: A, data: SeedData[A]): void;
  /** Empties every API's state and restores its seed. */
  reset(): void;
  /** Moves the sandbox clock forward: token expiry and rate-limit windows follow it. */
  advanceClock(ms: number): void;
  /** Stops every server and closes their connections. */
  close(): Promise<void>;
}

/** Starts the sandbox: one HTTP server per API, sharing one clock. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const apis = options.apis ?? [...API_NAMES];
  for (const api of apis) if (!API_NAMES.includes(api)) throw new TypeError(`Unknown API "${api}". Known APIs: ${API_NAMES.join(', ')}.`);
  if (apis.length === 0 || new Set(apis).size !== apis.length) throw new TypeError('apis: give each API at most once, and at least one');
  const { port = 0, host = '127.0.0.1', latencyMs = 0 } = options;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new RangeError(`port must be a port number, got ${port}`);
  if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) throw new RangeError(`latencyMs must be >= 0, got ${latencyMs}`);

  const clock = createClock();
  const rateLimit = createRateLimiter(options.rateLimit, clock);
  const drawFault = createFaults(options.faults);
  const behaviours = new Map<ApiName, ApiBehaviour>();
  const servers: ApiServer[] = [];
  const urls: Partial<Record<ApiName, string>> = {};
  try {
    for (const [index, api] of apis.entries()) {
      const validator = createSpecValidator(SPECS[api]);
      const behaviour =
        api === 'take-control' ? takeControlBehaviour(options.takeControl ?? {}, clock) : technicienBehaviour(options.technicien ?? {}, clock, validator);
      const server = await serveApi({ behaviour, validator, clock, host, port: port === 0 ? 0 : port + index, rateLimit, latencyMs, drawFault });
      behaviours.set(api, behaviour);
      servers.push(server);
      urls[api] = server.url;
    }
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()));
    throw error;
  }

  return {
    urls,
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
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
