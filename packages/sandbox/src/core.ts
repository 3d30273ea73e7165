// The sandbox without its carrier: both APIs' behaviours and engines, sharing one clock, one rate limiter and
// one fault sequence, one journal and one list of findings, and the control every carrier exposes the same
// way (state, seed, reset, clock, requests, findings, failNext). The node:http servers (sandbox.ts) and MSW
// handlers are built on it, so they behave alike.
import { createSpecValidator } from '@techapi/openapi-validator';
import type { ApiBehaviour } from './behaviour.js';
import { createClock } from './clock.js';
import { createApiEngine, type ApiEngine, type Recorder } from './engine.js';
import { createFaults, type FaultOptions, type RequestFault } from './faults.js';
import type { Finding } from './findings.js';
import { DEFAULT_JOURNAL_LIMIT, listEntries, Ring, type HeldEntry, type JournalEntry, type RequestFilter } from './journal.js';
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
  /** How many requests the journal keeps, the last ones (and as many findings); default 10,000; 0 keeps none. */
  journalLimit?: number;
  /** Called with each finding as it is made (the bin's `--strict-client` prints them to stderr). */
  onFinding?: (finding: Finding) => void;
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
  /** The journal: every request on a vendor path, in arrival order, credentials redacted; cleared by reset. */
  requests(filter?: RequestFilter): JournalEntry[];
  /** What the clients did that a well-behaved client would not, each naming its requests; cleared by reset. */
  findings(): Finding[];
  /**
   * Gives the next request for this operation a fault (`429`, `503`, `'drop-before'`, `'drop-after'`,
   * `'latency=300'`), as the `X-Sandbox-Fault` header does for the request that carries it. Calls queue up.
   */
  failNext(operationId: string, fault: RequestFault): void;
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
  const recorder = createRecorder(options.journalLimit ?? DEFAULT_JOURNAL_LIMIT, options.onFinding);
  const behaviours = new Map<ApiName, ApiBehaviour>();
  const engines = new Map<ApiName, ApiEngine>();
  for (const api of apis) {
    const validator = createSpecValidator(SPECS[api]);
    const behaviour =
      api === 'take-control' ? takeControlBehaviour(options.takeControl ?? {}, clock) : technicienBehaviour(options.technicien ?? {}, clock, validator);
    behaviours.set(api, behaviour);
    engines.set(api, createApiEngine({ behaviour, validator, clock, rateLimit, latencyMs, drawFault, recorder }));
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
        for (const engine of engines.values()) engine.reset();
        recorder.restart();
      },
      advanceClock: (ms) => clock.advance(ms),
      requests: (filter) => recorder.requests(filter ?? {}),
      findings: () => recorder.all(),
      failNext(operationId, fault) {
        const engine = [...engines.values()].find((candidate) => candidate.operationIds.includes(operationId));
        if (!engine) throw new TypeError(`failNext: no served API has the operation "${operationId}" (${[...engines.values()].flatMap((candidate) => candidate.operationIds).join(', ')})`);
        engine.failNext(operationId, fault);
      },
    },
  };
}

/** One journal and one list of findings for every API, numbered in one sequence. */
function createRecorder(limit: number, onFinding: ((finding: Finding) => void) | undefined): Recorder & { all(): Finding[]; restart(): void } {
  const entries = new Ring<HeldEntry>(limit);
  const findings = new Ring<Finding>(limit);
  let seq = 0;
  return {
    journaling: limit > 0,
    nextSeq: () => ++seq,
    record: (entry) => entries.push(entry),
    report(api, drafts, at) {
      for (const draft of drafts) {
        const finding: Finding = { kind: draft.kind, api, time: new Date(at).toISOString(), message: draft.message, requests: draft.requests };
        findings.push(finding);
        onFinding?.(finding);
      }
    },
    requests: (filter) => listEntries(entries, filter),
    findings: (api) => findings.toArray().filter((finding) => finding.api === api).map((finding) => ({ ...finding, requests: [...finding.requests] })),
    all: () => findings.toArray().map((finding) => ({ ...finding, requests: [...finding.requests] })),
    clear(api) {
      entries.retain((entry) => entry.api !== api);
      findings.retain((finding) => finding.api !== api);
    },
    /** After every API was cleared: numbering starts again at 1. */
    restart() {
      seq = 0;
    },
  };
}
