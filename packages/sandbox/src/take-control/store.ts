// Take Control's state: technicians stored by email, compared ignoring case, and the seed they return to
// on reset. The handlers of paths/ read and change it; the types are the spec's (TechnicianCreate).
import type { components } from './spec-types.js';
import type { Clock } from '../clock.js';

export type TechnicianStatus = components['schemas']['TechnicianStatus'];

/** A technician as `POST /tech` takes it. */
export type TechnicianInput = components['schemas']['TechnicianCreate'];

/** A stored technician: what was created, its status, and when (sandbox clock). */
export interface StoredTechnician extends TechnicianInput {
  status: TechnicianStatus;
  createdAt: string;
}

/** Seed data: technicians, stored as if created by `POST /tech` (status `enabled` unless given). */
export interface TakeControlSeed {
  technicians?: Array<TechnicianInput & { status?: TechnicianStatus }>;
}

export interface TakeControlState {
  technicians: StoredTechnician[];
}

export type BulkConflicts = 'per-item' | 'reject-batch';

/** What every handler is given: the state, and the option its rules follow. */
export interface TakeControlContext {
  store: TakeControlStore;
  bulkConflicts: BulkConflicts;
}

/**
 * As held: the creation time as a number, formatted only when the state is read; and, for the client watch,
 * the request whose delivered answer settled this email for the client (its seq, minus it for a 409). Held
 * here rather than in a map of the watch's own: a load would keep a second copy of every email.
 */
type Stored = Omit<StoredTechnician, 'createdAt'> & { createdAtMs: number; settledBy?: number };

export class TakeControlStore {
  /** By email in lower case: addresses are compared ignoring case, as their domains are. */
  private readonly technicians = new Map<string, Stored>();
  private readonly seeds: TakeControlSeed[];

  constructor(
    private readonly clock: Clock,
    seed: TakeControlSeed | undefined,
  ) {
    this.seeds = seed ? [seed] : [];
    for (const data of this.seeds) this.applySeed(data);
  }

  /** Whether a technician has this email, in any case. */
  has(email: string): boolean {
    return this.technicians.has(email.toLowerCase());
  }

  /** Stores a new technician (`enabled` unless given), created now on the sandbox clock, kept as written. */
  add(technician: TechnicianInput & { status?: TechnicianStatus }): void {
    const { email, name, profile, language, timezone, status = 'enabled' } = technician;
    const stored: Stored = { email, name, status, createdAtMs: this.clock.now() };
    if (profile !== undefined) stored.profile = profile;
    if (language !== undefined) stored.language = language;
    if (timezone !== undefined) stored.timezone = timezone;
    this.technicians.set(email.toLowerCase(), stored);
  }

  /** Sets the status of the technician with this email, in any case; false when there is none. */
  setStatus(email: string, status: TechnicianStatus): boolean {
    const technician = this.technicians.get(email.toLowerCase());
    if (!technician) return false;
    technician.status = status;
    return true;
  }

  /** The mark `settle` left on this email's technician, if any. */
  settledBy(email: string): number | undefined {
    return this.technicians.get(email.toLowerCase())?.settledBy;
  }

  /** Marks this email's technician as settled for the client by a request (see Stored). */
  settle(email: string, mark: number): void {
    const technician = this.technicians.get(email.toLowerCase());
    if (technician) technician.settledBy = mark;
  }

  state(): TakeControlState {
    return {
      technicians: [...this.technicians.values()].map(({ createdAtMs, settledBy: _settledBy, ...technician }) => ({ ...technician, createdAt: new Date(createdAtMs).toISOString() })),
    };
  }

  /** Empties the state and restores the seed. */
  reset(): void {
    this.technicians.clear();
    for (const data of this.seeds) this.applySeed(data);
  }

  /** Adds seed data, now and after every reset. */
  seed(data: unknown): void {
    this.applySeed(data as TakeControlSeed);
    this.seeds.push(data as TakeControlSeed);
  }

  private applySeed(seed: TakeControlSeed): void {
    if (typeof seed !== 'object' || seed === null) throw new TypeError('a Take Control seed is { technicians: [...] }');
    for (const technician of seed.technicians ?? []) {
      if (typeof technician?.email !== 'string' || !technician.email || typeof technician.name !== 'string') {
        throw new TypeError(`a seeded technician needs an email and a name: ${JSON.stringify(technician)}`);
      }
      this.add(technician);
    }
  }
}
