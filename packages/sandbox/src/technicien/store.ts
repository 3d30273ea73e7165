// Gestion des techniciens' state: seeded techniciens and clients (the API has no create call), the grants
// recorded by grant-client-access, and the login tokens. The handlers of paths/ read and change it; the
// types are the spec's (Technicien, Client).
import type { SpecValidator } from '@techapi/openapi-validator';
import type { components } from './spec-types.js';
import type { Clock } from '../clock.js';

export type Technicien = components['schemas']['Technicien'];
export type Client = components['schemas']['Client'];

/** Seed data: techniciens in the API's own shape (each with an `id`), and clients (each with a `codeExploitant`). */
export interface TechnicienSeed {
  techniciens?: Technicien[];
  clients?: Client[];
}

/** One access granted by `grant-client-access`: this email's technicien may act for this client until `dateFin`. */
export interface Grant {
  email: string;
  technicienId: number;
  codeExploitant: string;
  dateFin: string;
}

export interface TechnicienState {
  techniciens: Technicien[];
  clients: Client[];
  grants: Grant[];
}

/** What every handler is given: the state, and the one login it accepts. */
export interface TechnicienContext {
  store: TechnicienStore;
  login: string;
  password: string;
}

/** "Le token n'est valable que 12 heures". */
export const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

export const DEFAULT_TECHNICIEN_SEED: TechnicienSeed = {
  techniciens: [1, 2].map((n) => ({
    id: n,
    idUtilisateur: 100 + n,
    passwordValidityDurationNbDays: 90,
    techos: { id: n, description: `Technicien ${n}`, suppressionLogique: false, techType: 'CLIENT' },
    userclients: [],
    utilisateur: {
      id: 100 + n,
      emailUti: `tech${n}@example.com`,
      loginUti: `tech${n}`,
      nomUti: `Technicien ${n}`,
      prenomUti: 'Demo',
      suppressionLogique: false,
      utilisateurType: 'CLASSIC',
      individu: { id: 200 + n, email: `tech${n}@example.com`, nomInd: `Technicien ${n}`, prenomInd: 'Demo', suppressionLogique: false },
    },
  })),
  clients: [{ id: 1, codeExploitant: 'EXP01', nom: 'Exploitant 01', fuseauHoraire: 'Europe/Paris', suppressionLogique: false }],
};

/** The email a technicien is found by: its user account's `utilisateur.emailUti`, else `utilisateur.individu.email`. */
export function emailOf(technicien: Technicien): string | undefined {
  return technicien.utilisateur?.emailUti ?? technicien.utilisateur?.individu?.email ?? undefined;
}

const SCHEMAS = { Technicien: { $ref: '#/components/schemas/Technicien' }, Client: { $ref: '#/components/schemas/Client' } };

export class TechnicienStore {
  readonly techniciens = new Map<number, Technicien>();
  /** By code exploitant. */
  readonly clients = new Map<string, Client>();
  /** By `${technicienId} ${codeExploitant}`. */
  readonly grants = new Map<string, Grant>();
  /** token → when it expires, on the sandbox clock. Sessions, not data: a reset keeps them. */
  readonly tokens = new Map<string, number>();
  private readonly seeds: TechnicienSeed[];
  private nextUserClientId = 1;

  /** @param validator checks each seeded technicien and client against the spec's schemas */
  constructor(
    readonly clock: Clock,
    private readonly validator: SpecValidator,
    seed: TechnicienSeed | undefined,
  ) {
    this.seeds = [DEFAULT_TECHNICIEN_SEED, ...(seed ? [seed] : [])];
    for (const data of this.seeds) this.applySeed(data);
  }

  /** A new token, valid 12 hours from now on the sandbox clock. */
  issueToken(): string {
    const token = globalThis.crypto.randomUUID(); // Web Crypto: the store also runs in a browser (MSW)
    this.tokens.set(token, this.clock.now() + TOKEN_LIFETIME_MS);
    return token;
  }

  /** The technicien whose user account has this email (see emailOf), ignoring case. */
  technicienByEmail(email: string): Technicien | undefined {
    const wanted = email.toLowerCase();
    for (const technicien of this.techniciens.values()) {
      if (emailOf(technicien)?.toLowerCase() === wanted) return technicien;
    }
    return undefined;
  }

  /** The id of the next `utilisateurClientLightDTO` a grant creates. */
  newUserClientId(): number {
    return this.nextUserClientId++;
  }

  state(): TechnicienState {
    return {
      techniciens: [...this.techniciens.values()].map((technicien) => structuredClone(technicien)),
      clients: [...this.clients.values()].map((client) => structuredClone(client)),
      grants: [...this.grants.values()].map((grant) => ({ ...grant })),
    };
  }

  /** Empties the state and restores the seed. Tokens are sessions, not data: a client logged in before a reset stays logged in. */
  reset(): void {
    this.techniciens.clear();
    this.clients.clear();
    this.grants.clear();
    this.nextUserClientId = 1;
    for (const data of this.seeds) this.applySeed(data);
  }

  /** Adds seed data, now and after every reset. */
  seed(data: unknown): void {
    this.applySeed(data as TechnicienSeed);
    this.seeds.push(data as TechnicienSeed);
  }

  private applySeed(seed: TechnicienSeed): void {
    if (typeof seed !== 'object' || seed === null) throw new TypeError('a technicien seed is { techniciens: [...], clients: [...] }');
    for (const [kind, items, schema] of [
      ['techniciens', seed.techniciens ?? [], 'Technicien'],
      ['clients', seed.clients ?? [], 'Client'],
    ] as const) {
      for (const item of items) {
        const violations = this.validator.validate(SCHEMAS[schema], item);
        if (violations.length > 0) throw new TypeError(`a seeded ${schema} is not valid for the spec (${violations.map((v) => `${v.field} ${v.message}`).join('; ')}): ${JSON.stringify(item)}`);
        if (kind === 'techniciens' && !Number.isInteger((item as Technicien).id)) throw new TypeError(`a seeded technicien needs an integer id: ${JSON.stringify(item)}`);
        if (kind === 'clients' && !(item as Client).codeExploitant) throw new TypeError(`a seeded client needs a codeExploitant: ${JSON.stringify(item)}`);
      }
    }
    for (const technicien of seed.techniciens ?? []) this.techniciens.set(technicien.id as number, structuredClone(technicien));
    for (const client of seed.clients ?? []) this.clients.set(client.codeExploitant as string, structuredClone(client));
  }
}
