// Take Control's behaviour, laid out like its spec (specs/take-control/paths/): one typed handler file per
// path in paths/, the state in store.ts. Here: the integration key, the vendor's answer to bad input, and
// the wiring of each operation to its handler. Every rule the vendor's guide states is followed; the others
// are the sandbox's assumptions, listed in the README.
import type { Violation } from '@techapi/openapi-validator';
import type { operations } from './spec-types.js';
import type { Clock } from '../clock.js';
import { bindHandlers, type Handlers } from '../handlers.js';
import { describeViolation, type ApiBehaviour, type RequestHeaders } from '../behaviour.js';
import { SPECS } from '../specs.js';
import { error } from './answers.js';
import { watchTakeControlClients } from './client-watch.js';
import { hasKeyPrefix, KEY_FORM, KEY_PREFIX } from './key.js';
import * as tech from './paths/tech.js';
import * as techBulk from './paths/tech_bulk.js';
import * as techUsername from './paths/tech_{techUsername}.js';
import { TakeControlStore, type BulkConflicts, type TakeControlContext, type TakeControlSeed } from './store.js';

export type { StoredTechnician, TakeControlSeed, TakeControlState, TechnicianInput, TechnicianStatus } from './store.js';

export interface TakeControlOptions {
  /** The integration key accepted, sent as `Authorization: INTEGRATION-KEY <key>`. Default `your-private-key` (the vendor's example). */
  integrationKey?: string;
  /**
   * How `POST /tech/bulk` fails an email that exists already, or comes again in the same request:
   * `per-item` (default) creates the others and reports that email as failed in the body's per-email entries;
   * `reject-batch` answers 409 "Email already exists" and creates none.
   */
  bulkConflicts?: BulkConflicts;
  /** Technicians present after start and after each reset. */
  seed?: TakeControlSeed;
}

export const DEFAULT_INTEGRATION_KEY = 'your-private-key';

/** Each operation of the spec, by operationId, and its handler: its path's file, its method. */
const handlers: Handlers<operations, TakeControlContext> = {
  createTechnician: tech.POST,
  createTechnicians: techBulk.POST,
  setTechnicianStatus: techUsername.PUT,
};

export function takeControlBehaviour(options: TakeControlOptions, clock: Clock): ApiBehaviour {
  const integrationKey = options.integrationKey ?? DEFAULT_INTEGRATION_KEY;
  if (!integrationKey) throw new TypeError('takeControl.integrationKey must not be empty');
  const bulkConflicts = options.bulkConflicts ?? 'per-item';
  if (bulkConflicts !== 'per-item' && bulkConflicts !== 'reject-batch') {
    throw new TypeError(`takeControl.bulkConflicts must be "per-item" or "reject-batch", got ${String(bulkConflicts)}`);
  }
  const store = new TakeControlStore(clock, options.seed);

  return {
    name: 'take-control',
    spec: SPECS['take-control'],
    authenticate(headers: RequestHeaders) {
      const header = headers.authorization;
      if (typeof header !== 'string') {
        // The vendor's session guide shows a header named INTEGRATION-KEY; its technician guide, this API's, Authorization.
        if (headers['integration-key'] !== undefined) return error(401, `Missing integration key: send it as ${KEY_FORM}, not in an INTEGRATION-KEY header`);
        return error(401, 'Missing integration key');
      }
      if (!hasKeyPrefix(header)) return error(403, `Invalid integration key: send it as ${KEY_FORM}`);
      const key = header.slice(KEY_PREFIX.length).trim();
      if (key !== integrationKey) return error(403, 'Invalid integration key');
      return { credential: key };
    },
    clientOf: (headers: RequestHeaders) => String(headers.authorization ?? headers['integration-key'] ?? ''),
    secrets: [integrationKey],
    watchClients: () => watchTakeControlClients(store),
    invalidRequest: (_operationId: string, violations: Violation[]) => error(400, `Invalid request: ${describe(violations)}`),
    errorBody: (status: number, message: string) => ({ status, message }),
    handlers: bindHandlers(handlers, { store, bulkConflicts }),
    state: () => store.state(),
    reset: () => store.reset(),
    seed: (data: unknown) => store.seed(data),
  };
}

/**
 * The violations of a request, in the vendor's words where it has some ("Email must not be empty"), else
 * the field and what is wrong with it.
 */
function describe(violations: Violation[]): string {
  const emptyEmails = new Set(
    violations.filter((violation) => /(^|\/)email$/.test(violation.field) && /fewer than 1 character/.test(violation.message)).map((violation) => violation.field),
  );
  const words = violations.map((violation) => (emptyEmails.has(violation.field) ? 'Email must not be empty' : describeViolation(violation)));
  return [...new Set(words)].join('; ');
}
