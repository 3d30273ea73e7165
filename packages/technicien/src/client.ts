import createClient from 'openapi-fetch';
import {
  createRuntime,
  type ApiError,
  type ApiResult,
  type CallOptions,
  type ClientRuntimeOptions,
  type ErrorStatus,
  type Transport,
} from '@techapi/client-core';
import type { components, operations, paths } from './generated/openapi.js';
import { formatDateFin, joinEmails } from './input.js';
import { callerToken, fixedToken, loginSession, type TokenOutcome, type TokenSource } from './token-session.js';

export type Technicien = components['schemas']['Technicien'];
export type Credentials = components['schemas']['Credentials'];
export type AuthenticationResult = components['schemas']['AuthenticationResult'];

/** Where the client gets its `X-AUTH-TOKEN`: give exactly one of these. */
export type TokenOptions =
  /** A token you obtained (valid 12 hours); a 401 is returned as is. */
  | { token: string; getToken?: never; credentials?: never }
  /** Called before each call; you cache and renew. */
  | { getToken: () => string | Promise<string>; token?: never; credentials?: never }
  /** The client logs in on first use, caches the token, renews it before its 12 hours end and once on a 401. */
  | { credentials: Credentials; token?: never; getToken?: never };

/** `transport`, `timeoutMs`, `retry`, `maxBodyBytes` and `fetch` are the shared runtime's options. */
export type TechnicienClientOptions = TokenOptions & ClientRuntimeOptions & {
  /** The API's base URL, e.g. `https://v3.oceansystem.com/ocean` (paths start with `/restapi/`). */
  baseUrl: string;
  /**
   * How `updateTechnicien`, a GET with a JSON body, is sent. WHATWG fetch refuses a body on GET, so it
   * needs a transport that allows one: in Node, the package's default is undici's `request()`.
   */
  getWithBodyTransport?: Transport;
  /** Renew a logged-in token this long before its 12 hours end; default 10 minutes. */
  renewBeforeMs?: number;
};

export type { CallOptions };

export interface GrantClientAccessInput {
  /** The technicians' e-mail addresses; sent joined by `;`, so none may contain one. */
  emails: readonly string[];
  /** Code exploitant du client. */
  codeExploitant: string;
  /** Date de fin de validité: a `Date` (its local calendar day) or a `yyyy-MM-dd` string. */
  dateFin: Date | string;
}

export type TechnicienClient = ReturnType<typeof createTechnicienClient>;

/**
 * A typed client for the Gestion des techniciens API. Each method resolves with `{ data, response }` on
 * success or `{ error }` otherwise; it never throws for HTTP or network failures, and no password or
 * token ever appears in an error.
 */
export function createTechnicienClient(options: TechnicienClientOptions) {
  const { baseUrl, getWithBodyTransport } = options;
  const runtime = createRuntime(options);
  const http = createClient<paths>({ baseUrl, ...runtime.wire });
  const getWithBodyRuntime = getWithBodyTransport ? createRuntime({ ...options, transport: getWithBodyTransport }) : undefined;
  const getWithBody = getWithBodyRuntime ? createClient<paths>({ baseUrl, ...getWithBodyRuntime.wire }) : undefined;

  const authenticate = (
    login: string,
    password: string,
    init: CallOptions = {},
  ): Promise<ApiResult<AuthenticationResult, ErrorStatus<operations['authenticate']>>> =>
    runtime.call({ operation: 'authenticate', method: 'POST', secrets: [password] }, init, (attempt) =>
      http.POST('/restapi/auth/authenticate2', { body: { login, password }, headers: init.headers, ...attempt }),
    );

  const tokens = tokenSource(options, authenticate);

  /** Runs an authenticated call, with one retry on a fresh login when a logged-in token gets a 401. */
  async function authorized<Data, Status extends number>(
    operation: string,
    send: (headers: Record<string, string>) => Promise<ApiResult<Data, Status>>,
    init: CallOptions,
  ): Promise<ApiResult<Data, Status>> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await tokens.current();
      if (outcome.error) return { error: outcome.error as ApiError<Status> };
      const result = await send({ ...init.headers, 'X-AUTH-TOKEN': outcome.token });
      if (result.error?.status !== 401 || attempt > 0 || !tokens.rejected(outcome.token)) return scrub(result);
    }

    function scrub(result: ApiResult<Data, Status>): ApiResult<Data, Status> {
      // Tokens learnt during this call (a renewal) must stay out of its error too.
      if (!result.error) return result;
      let message = result.error.message;
      for (const secret of tokens.secrets()) message = message.split(secret).join('[redacted]');
      return { ...result, error: { ...result.error, operation, message } };
    }
  }

  return {
    /**
     * Logs in (`POST /restapi/auth/authenticate2`) and resolves with the token, valid 12 hours. A client
     * created with `credentials` calls this by itself; call it directly to manage tokens yourself.
     */
    authenticate,

    /** Attribue les droits d'accès client à plusieurs techniciens (grants several technicians access to a client). */
    grantClientAccess(
      input: GrantClientAccessInput,
      init: CallOptions = {},
    ): Promise<ApiResult<unknown, ErrorStatus<operations['grantClientAccess']>>> {
      const emails = joinEmails(input.emails);
      const dateFin = formatDateFin(input.dateFin);
      const invalid = emails.error ?? dateFin.error;
      if (emails.value === undefined || dateFin.value === undefined) {
        return Promise.resolve({ error: { kind: 'invalid-input', operation: 'grantClientAccess', status: 0, message: invalid ?? '' } });
      }
      const query = { emails: emails.value, codeExploitant: input.codeExploitant, dateFin: dateFin.value };
      return authorized(
        'grantClientAccess',
        (headers) =>
          runtime.call({ operation: 'grantClientAccess', method: 'POST', secrets: tokens.secrets() }, init, (attempt) =>
            http.POST('/restapi/technicien/grant-client-access', { params: { query }, headers, ...attempt }),
          ),
        init,
      );
    },

    /**
     * Met à jour les informations d'un technicien: a GET with the technician as its JSON body, as the vendor
     * documents it. `customerId` is mandatory only for a multi-client user; pass `undefined` otherwise.
     * The result has the same shape as the body.
     */
    updateTechnicien(
      customerId: number | undefined,
      technicien: Technicien,
      init: CallOptions = {},
    ): Promise<ApiResult<Technicien, ErrorStatus<operations['updateTechnicien']>>> {
      if (!getWithBody || !getWithBodyRuntime) {
        return Promise.resolve({
          error: {
            kind: 'unsupported',
            operation: 'updateTechnicien',
            status: 0,
            message:
              'updateTechnicien is a GET with a JSON body, which fetch refuses to send ("Request with GET/HEAD method ' +
              'cannot have body") and this environment has no transport that allows one. In Node, import the package ' +
              "normally (its Node entry sends it with undici); elsewhere pass `getWithBodyTransport`.",
          },
        });
      }
      const query = customerId === undefined ? {} : { customerId };
      return authorized(
        'updateTechnicien',
        (headers) =>
          getWithBodyRuntime.call({ operation: 'updateTechnicien', method: 'GET', secrets: tokens.secrets() }, init, (attempt) =>
            getWithBody.GET('/restapi/technicien/update', { params: { query }, body: technicien, headers, ...attempt }),
          ),
        init,
      );
    },

    /** The underlying openapi-fetch client, typed by the spec; it sends no token by itself. */
    http,
  };
}

function tokenSource(
  options: TechnicienClientOptions,
  authenticate: (login: string, password: string) => Promise<ApiResult<AuthenticationResult>>,
): TokenSource {
  if (options.token !== undefined) {
    if (!options.token) throw new TypeError('createTechnicienClient: token is empty');
    return fixedToken(options.token);
  }
  if (options.getToken !== undefined) return callerToken(options.getToken);
  if (options.credentials !== undefined) {
    const { login, password } = options.credentials;
    if (!login || !password) throw new TypeError('createTechnicienClient: credentials need a login and a password');
    return loginSession({
      secrets: [password],
      ...(options.renewBeforeMs !== undefined ? { renewBeforeMs: options.renewBeforeMs } : {}),
      login: async (): Promise<TokenOutcome> => {
        const result = await authenticate(login, password);
        if (result.error) return { error: result.error };
        if (!result.data.token) {
          return { error: { kind: 'invalid-response', operation: 'authenticate', status: result.response.status, message: 'The login response has no token' } };
        }
        return { token: result.data.token };
      },
    });
  }
  throw new TypeError('createTechnicienClient: give one of `token`, `getToken` or `credentials`');
}
