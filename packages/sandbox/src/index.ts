// @techapi/sandbox: a stateful local sandbox of both APIs, for integrators' test suites and by hand.
export {
  API_NAMES,
  startSandbox,
  type ApiName,
  type Sandbox,
  type SandboxControl,
  type SandboxOptions,
  type SandboxState,
  type SeedData,
} from './sandbox.js';
export type { FaultOptions, RequestFault } from './faults.js';
export type { Finding, FindingKind } from './findings.js';
export type { JournalEntry, RequestFilter } from './journal.js';
export {
  DEFAULT_INTEGRATION_KEY,
  type StoredTechnician,
  type TakeControlOptions,
  type TakeControlSeed,
  type TakeControlState,
  type TechnicianInput,
  type TechnicianStatus,
} from './take-control/index.js';
export {
  DEFAULT_TECHNICIEN_SEED,
  TOKEN_LIFETIME_MS,
  type Client,
  type Grant,
  type Technicien,
  type TechnicienOptions,
  type TechnicienSeed,
  type TechnicienState,
} from './technicien/index.js';
