import createClient from 'openapi-fetch';
import {
  checkInput,
  createRuntime,
  jsonBody,
  notScalar,
  refusal,
  scalarQuery,
  toJson,
  type ApiError,
  type ApiResult,
  type AttemptInit,
  type CallOptions,
  type ClientRuntimeOptions,
  type ErrorStatus,
  type FetchOutcome,
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
   * needs a transport that allows one: in Node, the package's default is `node:http`/`https` (seen by
   * MSW's and nock's interceptors); `undiciTransport()` is the fast path, seen by an undici `MockAgent`.
   */
  getWithBodyTransport?: Transport;
  /** Renew a logged-in token this long before its 12 hours end; default 10 minutes. */
  renewBeforeMs?: number;
};

export type { CallOptions };

/** `updateTechnicien`'s options: the call's, and the operation's optional `customerId`. */
export interface UpdateTechnicienOptions extends CallOptions {
  /** The client's id (`customerId` in the query): mandatory only for a multi-client user. */
  customerId?: number;
}

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
  const credentialsJson = jsonBody('login or password');

  const authenticate = (
    login: string,
    password: string,
    init: CallOptions = {},
  ): Promise<ApiResult<AuthenticationResult, ErrorStatus<operations['authenticate']>>> =>
    runtime.call({ operation: 'authenticate', method: 'POST', secrets: [password] }, init, (attempt) =>
      http.POST('/restapi/auth/authenticate2', {
        body: { login, password },
        bodySerializer: credentialsJson,
        headers: init.headers,
        ...attempt,
      }),
    );

  const tokens = tokenSource(options, authenticate);

  /** The headers of a call that adds none: one object per token, not one per call. */
  let tokenHeaders = { 'X-AUTH-TOKEN': '' };

  /**
   * Runs an authenticated call, with one retry on a fresh login when a logged-in token gets a 401. Not an
   * async function: with a token at hand (always, for a fixed token) the call is the runtime's own
   * promise, with no layer of its own on each call's path.
   */
  function authorized<Data, Status extends number>(
    operation: string,
    method: string,
    transport: Transport | undefined,
    init: CallOptions,
    send: (attempt: AttemptInit, headers: Record<string, string>) => Promise<FetchOutcome>,
    retried = false,
  ): Promise<ApiResult<Data, Status>> {
    const withToken = ({ token, error }: TokenOutcome): Promise<ApiResult<Data, Status>> => {
      if (error) return Promise.resolve({ error: error as ApiError<Status> });
      if (tokenHeaders['X-AUTH-TOKEN'] !== token) tokenHeaders = { 'X-AUTH-TOKEN': token };
      const headers = init.headers ? { ...init.headers, 'X-AUTH-TOKEN': token } : tokenHeaders;
      // The secrets are read after the login, so a token renewed for this call is among them.
      const spec = { operation, method, transport, secrets: tokens.secrets() };
      const result = runtime.call<Data, Status>(spec, init, (attempt) => send(attempt, headers));
      if (retried || !tokens.renews) return result;
      return result.then((done) =>
        done.error?.status === 401 && tokens.rejected(token) ? authorized<Data, Status>(operation, method, transport, init, send, true) : done,
      );
    };
    const current = tokens.current();
    return current instanceof Promise ? current.then(withToken) : withToken(current);
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
      // Checked before the token is fetched: a refused input sends nothing, not even a login.
      const emails = joinEmails(input?.emails);
      const dateFin = formatDateFin(input?.dateFin);
      const codeExploitant = input?.codeExploitant;
      const refused = emails.error ?? dateFin.error ?? notScalar(codeExploitant, 'codeExploitant');
      if (refused !== undefined) return Promise.resolve(refusal('grantClientAccess', refused));
      const query = { emails: emails.value as string, codeExploitant, dateFin: dateFin.value as string };
      return authorized('grantClientAccess', 'POST', undefined, init, (attempt, headers) =>
        http.POST('/restapi/technicien/grant-client-access', { params: { query }, headers, ...attempt }),
      );
    },

    /**
     * Met à jour les informations d'un technicien: a GET with the technician as its JSON body, as the vendor
     * documents it. `customerId`, among the options, is mandatory only for a multi-client user.
     * The result has the same shape as the body.
     */
    updateTechnicien(
      technicien: Technicien,
      options: UpdateTechnicienOptions = {},
    ): Promise<ApiResult<Technicien, ErrorStatus<operations['updateTechnicien']>>> {
      if (!getWithBodyTransport) {
        return Promise.resolve(
          refused(
            'unsupported',
            'updateTechnicien',
            'updateTechnicien is a GET with a JSON body, which fetch refuses to send: use the Node entry, or pass `getWithBodyTransport`',
          ),
        );
      }
      // Serialized once, before the token is fetched: a body JSON cannot hold sends nothing, not even a login.
      const input = checkInput('updateTechnicien', () => ({
        body: toJson(technicien, 'technicien'),
        query: scalarQuery({ customerId: options?.customerId }),
      }));
      if (input.error) return Promise.resolve(input);
      const { body, query } = input.value;
      const transport = getWithBodyTransport;
      return authorized('updateTechnicien', 'GET', transport, options, (attempt, headers) =>
        http.GET('/restapi/technicien/update', {
          params: { query },
          body: technicien,
          bodySerializer: () => body,
          headers,
          Request: transport.Request,
          ...attempt,
        }),
      );
    },

    /** The underlying openapi-fetch client, typed by the spec; it sends no token by itself. */
    http,
  };
}

/** The error of a call refused before anything was sent. */
function refused<Status extends number>(kind: 'unsupported', operation: string, message: string): { error: ApiError<Status> } {
  return { error: { kind, operation, status: 0, message } };
}

function tokenSource(
  options: TechnicienClientOptions,
  authenticate: (login: string, password: string) => Promise<ApiResult<AuthenticationResult>>,
): TokenSource {
  const { token, getToken, credentials } = options;
  if (token) return fixedToken(token);
  if (getToken) return callerToken(getToken);
  if (credentials?.login && credentials.password) {
    const { login, password } = credentials;
    return loginSession({
      secrets: [password],
      ...(options.renewBeforeMs !== undefined && { renewBeforeMs: options.renewBeforeMs }),
      login: async (): Promise<TokenOutcome> => {
        const { data, error } = await authenticate(login, password);
        if (error) return { error };
        if (data.token) return { token: data.token };
        return { error: { kind: 'invalid-response', operation: 'authenticate', status: 0, message: 'The login response has no token' } };
      },
    });
  }
  throw new TypeError('createTechnicienClient: give a non-empty `token`, a `getToken` function, or `credentials` with a login and a password');
}
