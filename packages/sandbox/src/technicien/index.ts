// Gestion des techniciens' behaviour, laid out like its spec (specs/technicien/paths/): one typed handler
// file per path in paths/, the state in store.ts. Here: the token check, the answer to bad input, and the
// wiring of each operation to its handler. Every rule the vendor's pages state is followed; the others are
// the sandbox's assumptions, listed in the README.
import type { SpecOperation, SpecValidator, Violation } from '@techapi/openapi-validator';
import type { operations } from './spec-types.js';
import type { Clock } from '../clock.js';
import { bindHandlers, type Handlers } from '../handlers.js';
import { describeViolation, type ApiBehaviour, type RequestHeaders } from '../behaviour.js';
import { SPECS } from '../specs.js';
import { badRequest, EXPIRED_TOKEN, unauthorized } from './answers.js';
import { watchTechnicienClients } from './client-watch.js';
import * as authenticate2 from './paths/restapi_auth_authenticate2.js';
import * as grantClientAccess from './paths/restapi_technicien_grant-client-access.js';
import * as update from './paths/restapi_technicien_update.js';
import { TechnicienStore, type TechnicienContext, type TechnicienSeed } from './store.js';

export { DEFAULT_TECHNICIEN_SEED, TOKEN_LIFETIME_MS, type Client, type Grant, type Technicien, type TechnicienSeed, type TechnicienState } from './store.js';

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

/** Each operation of the spec, by operationId, and its handler: its path's file, its method. */
const handlers: Handlers<operations, TechnicienContext> = {
  authenticate: authenticate2.POST,
  grantClientAccess: grantClientAccess.POST,
  updateTechnicien: update.GET,
};

export function technicienBehaviour(options: TechnicienOptions, clock: Clock, validator: SpecValidator): ApiBehaviour {
  const login = options.login ?? 'demo';
  const password = options.password ?? 'demo';
  if (!login || !password) throw new TypeError('technicien.login and technicien.password must not be empty');
  const store = new TechnicienStore(clock, validator, options.seed);

  return {
    name: 'technicien',
    spec: SPECS.technicien,
    authenticate(headers: RequestHeaders, operation: SpecOperation) {
      if (Array.isArray(operation.operation.security) && operation.operation.security.length === 0) return { credential: '' };
      const token = headers['x-auth-token'];
      if (typeof token !== 'string' || token === '') return unauthorized('The X-AUTH-TOKEN header is missing');
      const expiresAt = store.tokens.get(token);
      if (expiresAt === undefined) return unauthorized('Unknown token');
      if (clock.now() >= expiresAt) {
        store.tokens.delete(token);
        return unauthorized(EXPIRED_TOKEN);
      }
      return { credential: token };
    },
    clientOf: (headers: RequestHeaders) => String(headers['x-auth-token'] ?? ''),
    // Tokens are redacted in their header; the password, right or wrong, in the login's body.
    secrets: [],
    redactBody: (operationId: string | undefined, text: string) => {
      if (operationId !== 'authenticate') return text;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON: withheld below
      }
      if (typeof json !== 'object' || json === null || Array.isArray(json)) return '(a login body that is not a JSON object: not shown, it may hold a password)';
      return JSON.stringify('password' in json ? { ...json, password: '***' } : json);
    },
    watchClients: watchTechnicienClients,
    // The vendor documents no answer to invalid input: the spec's 400 is its assumption.
    invalidRequest: (_operationId: string, violations: Violation[]) => badRequest(`Invalid request: ${violations.map(describe).join('; ')}`),
    errorBody: (status: number, message: string) => ({ status, message }),
    handlers: bindHandlers(handlers, { store, login, password }),
    state: () => store.state(),
    reset: () => store.reset(),
    seed: (data: unknown) => store.seed(data),
  };
}

/** A violation as a sentence; the `emails` pattern in words rather than as the regular expression. */
function describe(violation: Violation): string {
  if (violation.location === 'query' && violation.field === 'emails' && violation.keyword === 'pattern') {
    return "query emails must be one or more addresses separated by ';', none of them blank";
  }
  return describeViolation(violation);
}
