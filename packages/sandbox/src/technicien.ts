// Gestion des techniciens' behaviour: one login, tokens valid 12 hours on the sandbox clock, seeded
// techniciens and clients (the API has no create call), grants recorded in each technicien's
// `userclients`. Every rule the vendor's pages state is followed; the others are the sandbox's
// assumptions, listed in the README.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SpecOperation, SpecValidator, Violation } from '@techapi/openapi-validator';
import type { components } from '../../technicien/src/generated/openapi.js';
import type { Clock } from './clock.js';
import type { ApiBehaviour, Reply } from './http.js';
import { SPECS } from './specs.js';

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

export interface TechnicienOptions {
  /** The login accepted by `POST /restapi/auth/authenticate2`. Default `demo`. */
  login?: string;
  /** Its password. Default `demo`. */
  password?: string;
  /**
   * Techniciens and clients present after start and after each reset, added to the default seed
   * (techniciens `tech1@example.com` (id 1) and `tech2@example.com` (id 2), client `EXP01` (id 1)).
   */
  seed?: TechnicienSeed;
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

const error = (status: number, phrase: string, message: string): Reply => ({ status, body: { status, error: phrase, message } });
const unauthorized = (message: string) => error(401, 'UNAUTHORIZED', message);
const notFound = (message: string) => error(404, 'NOT FOUND', message);
const badRequest = (message: string) => error(400, 'BAD REQUEST', message);

export function technicienBehaviour(options: TechnicienOptions, clock: Clock, validator: SpecValidator): ApiBehaviour {
  const schemas = { Technicien: { $ref: '#/components/schemas/Technicien' }, Client: { $ref: '#/components/schemas/Client' } };
  const validate = (schema: keyof typeof schemas, value: unknown) => validator.validate(schemas[schema], value);
  const login = options.login ?? 'demo';
  const password = options.password ?? 'demo';
  if (!login || !password) throw new TypeError('technicien.login and technicien.password must not be empty');

  const techniciens = new Map<number, Technicien>();
  const clients = new Map<string, Client>();
  const grants = new Map<string, Grant>(); // by `${technicienId} ${codeExploitant}`
  /** token → when it expires, on the sandbox clock */
  const tokens = new Map<string, number>();
  const seeds: TechnicienSeed[] = [DEFAULT_TECHNICIEN_SEED, ...(options.seed ? [options.seed] : [])];
  let nextUserClientId = 1;

  const applySeed = (seed: TechnicienSeed) => {
    if (typeof seed !== 'object' || seed === null) throw new TypeError('a technicien seed is { techniciens: [...], clients: [...] }');
    for (const [kind, items, schema] of [
      ['techniciens', seed.techniciens ?? [], 'Technicien'],
      ['clients', seed.clients ?? [], 'Client'],
    ] as const) {
      for (const item of items) {
        const violations = validate(schema, item);
        if (violations.length > 0) throw new TypeError(`a seeded ${schema} is not valid for the spec (${violations.map((v) => `${v.field} ${v.message}`).join('; ')}): ${JSON.stringify(item)}`);
        if (kind === 'techniciens' && !Number.isInteger((item as Technicien).id)) throw new TypeError(`a seeded technicien needs an integer id: ${JSON.stringify(item)}`);
        if (kind === 'clients' && !(item as Client).codeExploitant) throw new TypeError(`a seeded client needs a codeExploitant: ${JSON.stringify(item)}`);
      }
    }
    for (const technicien of seed.techniciens ?? []) techniciens.set(technicien.id as number, structuredClone(technicien));
    for (const client of seed.clients ?? []) clients.set(client.codeExploitant as string, structuredClone(client));
  };
  seeds.forEach(applySeed);

  /** The technicien whose user account has this email (`utilisateur.emailUti`, else `individu.email`), ignoring case. */
  const technicienByEmail = (email: string): Technicien | undefined => {
    const wanted = email.toLowerCase();
    for (const technicien of techniciens.values()) {
      const own = technicien.utilisateur?.emailUti ?? technicien.utilisateur?.individu?.email;
      if (own?.toLowerCase() === wanted) return technicien;
    }
    return undefined;
  };

  return {
    name: 'technicien',
    spec: SPECS.technicien,
    authenticate(headers: IncomingHttpHeaders, operation: SpecOperation) {
      if (Array.isArray(operation.operation.security) && operation.operation.security.length === 0) return { credential: '' };
      const token = headers['x-auth-token'];
      if (typeof token !== 'string' || token === '') return unauthorized('The X-AUTH-TOKEN header is missing');
      const expiresAt = tokens.get(token);
      if (expiresAt === undefined) return unauthorized('Unknown token');
      if (clock.now() >= expiresAt) {
        tokens.delete(token);
        return unauthorized('The token has expired (a token is valid 12 hours): log in again');
      }
      return { credential: token };
    },
    // The vendor documents no answer to invalid input: the spec's 400 is its assumption.
    invalidRequest: (_operationId: string, violations: Violation[]) =>
      badRequest(`Invalid request: ${violations.map((v) => `${v.location}${v.field ? ` ${v.field}` : ''} ${v.message}`).join('; ')}`),
    errorBody: (status: number, message: string) => ({ status, message }),
    handlers: {
      authenticate({ body }) {
        const credentials = body as { login: string; password: string };
        if (credentials.login !== login || credentials.password !== password) return unauthorized('Bad credentials');
        const token = randomUUID();
        tokens.set(token, clock.now() + TOKEN_LIFETIME_MS);
        return { status: 200, body: { additionalAccountData: {}, passwordExpirationRemainingDays: 90, token } };
      },
      grantClientAccess({ query }) {
        const emails = (query.get('emails') ?? '').split(';').map((email) => email.trim());
        const codeExploitant = query.get('codeExploitant') ?? '';
        const dateFin = query.get('dateFin') ?? '';
        const client = clients.get(codeExploitant);
        if (!client) return notFound(`No client with code exploitant ${codeExploitant}`);
        const found = emails.map((email) => ({ email, technicien: technicienByEmail(email) }));
        const unknown = found.filter(({ technicien }) => !technicien).map(({ email }) => email);
        if (unknown.length > 0) return notFound(`No technicien with email ${unknown.join(', ')}`);
        // Every name is known: the grants are recorded together, or (above) not at all.
        let created = false;
        for (const { email, technicien } of found as Array<{ email: string; technicien: Technicien }>) {
          const id = technicien.id as number;
          const key = `${id} ${codeExploitant}`;
          if (!grants.has(key)) created = true;
          grants.set(key, { email, technicienId: id, codeExploitant, dateFin });
          const userclients = (technicien.userclients ??= []);
          const existing = userclients.find((userclient) => userclient.client?.codeExploitant === codeExploitant);
          if (existing) {
            existing.utilisateurClientLightDTO = { ...existing.utilisateurClientLightDTO, expirationDate: dateFin };
          } else {
            const { numeroFaxUti, numeroGsmUti, numeroTelephoneUti, ...utilisateur } = technicien.utilisateur ?? {};
            userclients.push({ client: structuredClone(client), utilisateur, utilisateurClientLightDTO: { id: nextUserClientId++, expirationDate: dateFin } });
          }
        }
        // 201 when an access was created, 200 when every one existed and only its end date changed.
        return { status: created ? 201 : 200 };
      },
      updateTechnicien({ query, body }) {
        const customerId = query.get('customerId');
        if (customerId !== null && ![...clients.values()].some((client) => String(client.id) === customerId)) {
          return notFound(`No client with id ${customerId}`);
        }
        const update = body as Technicien;
        const current = update.id === undefined ? undefined : techniciens.get(update.id);
        if (!current) return notFound(update.id === undefined ? 'The technicien to update has no id' : `No technicien with id ${update.id}`);
        // The properties sent replace the stored ones; the others stay.
        const updated = { ...current, ...structuredClone(update) };
        techniciens.set(update.id as number, updated);
        return { status: 200, body: updated };
      },
    },
    state: (): TechnicienState => ({
      techniciens: [...techniciens.values()].map((technicien) => structuredClone(technicien)),
      clients: [...clients.values()].map((client) => structuredClone(client)),
      grants: [...grants.values()].map((grant) => ({ ...grant })),
    }),
    reset() {
      techniciens.clear();
      clients.clear();
      grants.clear();
      // Tokens are sessions, not data: a client logged in before a reset stays logged in.
      nextUserClientId = 1;
      seeds.forEach(applySeed);
    },
    seed(data: unknown) {
      applySeed(data as TechnicienSeed);
      seeds.push(data as TechnicienSeed);
    },
  };
}
