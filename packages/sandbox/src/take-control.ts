// Take Control's behaviour: technicians stored by email (compared ignoring case), the integration key, the
// vendor's error bodies. Every rule the vendor's guide states is followed; the others are the sandbox's
// assumptions, listed in the README.
import type { IncomingHttpHeaders } from 'node:http';
import type { Violation } from '@techapi/openapi-validator';
import type { Clock } from './clock.js';
import type { ApiBehaviour, Reply } from './http.js';
import { SPECS } from './specs.js';

export type TechnicianStatus = 'enabled' | 'disabled';

/** A stored technician: what was created, its status, and when (sandbox clock). */
export interface StoredTechnician {
  email: string;
  name: string;
  profile?: string;
  language?: string;
  timezone?: string;
  status: TechnicianStatus;
  createdAt: string;
}

/** A technician as `POST /tech` takes it. */
export interface TechnicianInput {
  email: string;
  name: string;
  profile?: string;
  language?: string;
  timezone?: string;
}

/** Seed data: technicians, stored as if created by `POST /tech` (status `enabled` unless given). */
export interface TakeControlSeed {
  technicians?: Array<TechnicianInput & { status?: TechnicianStatus }>;
}

export interface TakeControlState {
  technicians: StoredTechnician[];
}

export interface TakeControlOptions {
  /** The integration key accepted, sent as `Authorization: INTEGRATION-KEY <key>`. Default `your-private-key` (the vendor's example). */
  integrationKey?: string;
  /**
   * How `POST /tech/bulk` fails an email that exists already, or comes again in the same request:
   * `per-item` (default) creates the others and reports that email as failed in the body's per-email entries;
   * `reject-batch` answers 409 "Email already exists" and creates none.
   */
  bulkConflicts?: 'per-item' | 'reject-batch';
  /** Technicians present after start and after each reset. */
  seed?: TakeControlSeed;
}

/** As held: the creation time as a number, formatted only when the state is read. */
type Stored = Omit<StoredTechnician, 'createdAt'> & { createdAtMs: number };

export const DEFAULT_INTEGRATION_KEY = 'your-private-key';
const KEY_PREFIX = 'INTEGRATION-KEY ';
/** Frozen: the server checks a constant answer against the spec once (see http.ts). */
const SUCCESS = Object.freeze({ result: 'SUCCESS', details: Object.freeze({}), errorDetails: null });
const CONFLICT = 'Email already exists';

const error = (status: number, message: string): Reply => ({ status, body: { status, message } });

export function takeControlBehaviour(options: TakeControlOptions, clock: Clock): ApiBehaviour {
  const integrationKey = options.integrationKey ?? DEFAULT_INTEGRATION_KEY;
  if (!integrationKey) throw new TypeError('takeControl.integrationKey must not be empty');
  const bulkConflicts = options.bulkConflicts ?? 'per-item';
  if (bulkConflicts !== 'per-item' && bulkConflicts !== 'reject-batch') {
    throw new TypeError(`takeControl.bulkConflicts must be "per-item" or "reject-batch", got ${String(bulkConflicts)}`);
  }
  /** By email in lower case: addresses are compared ignoring case, as their domains are. */
  const technicians = new Map<string, Stored>();
  const seeds: TakeControlSeed[] = options.seed ? [options.seed] : [];

  const store = (technician: TechnicianInput & { status?: TechnicianStatus }) => {
    const { email, name, profile, language, timezone, status = 'enabled' } = technician;
    const stored: Stored = { email, name, status, createdAtMs: clock.now() };
    if (profile !== undefined) stored.profile = profile;
    if (language !== undefined) stored.language = language;
    if (timezone !== undefined) stored.timezone = timezone;
    technicians.set(email.toLowerCase(), stored);
  };

  const applySeed = (seed: TakeControlSeed) => {
    if (typeof seed !== 'object' || seed === null) throw new TypeError('a Take Control seed is { technicians: [...] }');
    for (const technician of seed.technicians ?? []) {
      if (typeof technician?.email !== 'string' || !technician.email || typeof technician.name !== 'string') {
        throw new TypeError(`a seeded technician needs an email and a name: ${JSON.stringify(technician)}`);
      }
      store(technician);
    }
  };
  seeds.forEach(applySeed);

  return {
    name: 'take-control',
    spec: SPECS['take-control'],
    authenticate(headers: IncomingHttpHeaders) {
      const header = headers.authorization;
      if (header === undefined) return error(401, 'Missing integration key');
      const key = header.slice(0, KEY_PREFIX.length).toUpperCase() === KEY_PREFIX ? header.slice(KEY_PREFIX.length).trim() : undefined;
      if (key !== integrationKey) return error(403, 'Invalid integration key');
      return { credential: key };
    },
    invalidRequest: (_operationId: string, violations: Violation[]) => error(400, `Invalid request: ${describe(violations)}`),
    errorBody: (status: number, message: string) => ({ status, message }),
    handlers: {
      createTechnician({ body }) {
        const technician = body as TechnicianInput;
        if (technicians.has(technician.email.toLowerCase())) return error(409, CONFLICT);
        store(technician);
        return { status: 200, body: SUCCESS };
      },
      createTechnicians({ body }) {
        const items = body as TechnicianInput[];
        const seen = new Set<string>();
        const conflicts = items.map((item) => {
          const key = item.email.toLowerCase();
          const conflict = technicians.has(key) || seen.has(key);
          seen.add(key);
          return conflict;
        });
        const failed = conflicts.filter(Boolean).length;
        if (failed > 0 && bulkConflicts === 'reject-batch') return error(409, CONFLICT);
        // Keyed by email as sent. An exact repeat shares its first copy's key: that entry tells its first
        // copy's outcome and counts the copies ignored.
        const entries: Record<string, Record<string, unknown>> = {};
        items.forEach((item, index) => {
          const existing = entries[item.email];
          if (existing) {
            existing.ignoredRepeats = Number(existing.ignoredRepeats ?? 0) + 1;
            return;
          }
          if (conflicts[index]) {
            entries[item.email] = { result: 'FAILURE', status: 409, message: CONFLICT };
          } else {
            store(item);
            entries[item.email] = { result: 'SUCCESS' };
          }
        });
        const result = failed === 0 ? 'SUCCESS' : failed === items.length ? 'FAILURE' : 'PARTIAL_SUCCESS';
        return { status: 200, body: { result, details: { technicians: entries } } };
      },
      setTechnicianStatus({ pathParams, body }) {
        const technician = technicians.get((pathParams.techUsername ?? '').toLowerCase());
        if (!technician) return error(404, 'Technician not found');
        technician.status = (body as { status: TechnicianStatus }).status;
        return { status: 200, body: SUCCESS };
      },
    },
    state: (): TakeControlState => ({
      technicians: [...technicians.values()].map(({ createdAtMs, ...technician }) => ({ ...technician, createdAt: new Date(createdAtMs).toISOString() })),
    }),
    reset() {
      technicians.clear();
      seeds.forEach(applySeed);
    },
    seed(data: unknown) {
      applySeed(data as TakeControlSeed);
      seeds.push(data as TakeControlSeed);
    },
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
  const words = violations.map((violation) => {
    if (emptyEmails.has(violation.field)) return 'Email must not be empty';
    const where = violation.location === 'body' ? `body${violation.field ? ` ${violation.field}` : ''}` : `${violation.location} ${violation.field}`;
    return `${where} ${violation.message}`;
  });
  return [...new Set(words)].join('; ');
}
