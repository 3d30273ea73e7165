import createClient from 'openapi-fetch';
import { toResult, type ApiResult, type ErrorStatus } from '@techapi/client-core';
import type { components, operations, paths } from './generated/openapi.js';

export type TechnicianCreate = components['schemas']['TechnicianCreate'];
export type TechnicianStatus = components['schemas']['TechnicianStatus'];
export type OperationResult = components['schemas']['OperationResult'];
export type BulkCreateResult = components['schemas']['BulkCreateResult'];
/** The body of every documented error: `{status, message}`. */
export type ErrorBody = components['schemas']['Error'];

export interface TakeControlClientOptions {
  /** The API's base URL, e.g. `https://api.us0.swi-rc.com/rest` (your account's region is in its dashboard). */
  baseUrl: string;
  /** A private integration key. It is sent as `Authorization: INTEGRATION-KEY <key>` and never appears in an error. */
  integrationKey: string;
  /** A fetch implementation; defaults to the global one. */
  fetch?: (input: Request) => Promise<Response>;
}

/** Per-call options. */
export interface CallOptions {
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Extra request headers for this call (e.g. `Prefer` for a Prism mock). */
  headers?: Record<string, string>;
}

export type TakeControlClient = ReturnType<typeof createTakeControlClient>;

/**
 * A typed client for the Take Control Technician API. Each method resolves with `{ data, response }` on
 * success or `{ error }` otherwise; it never throws for HTTP or network failures.
 */
export function createTakeControlClient(options: TakeControlClientOptions) {
  const { baseUrl, integrationKey } = options;
  if (!integrationKey) throw new TypeError('createTakeControlClient: integrationKey is required');
  const secrets = [integrationKey];
  const http = createClient<paths>({
    baseUrl,
    headers: { Authorization: `INTEGRATION-KEY ${integrationKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  return {
    /** Creates one technician account. `email` (the username) and `name` are required. */
    createTechnician(
      technician: TechnicianCreate,
      init: CallOptions = {},
    ): Promise<ApiResult<OperationResult, ErrorStatus<operations['createTechnician']>>> {
      return toResult('createTechnician', secrets, () => http.POST('/tech', { body: technician, ...init }));
    },

    /** Creates several technician accounts in one request; the result is keyed by email. */
    createTechnicians(
      technicians: TechnicianCreate[],
      init: CallOptions = {},
    ): Promise<ApiResult<BulkCreateResult, ErrorStatus<operations['createTechnicians']>>> {
      return toResult('createTechnicians', secrets, () => http.POST('/tech/bulk', { body: technicians, ...init }));
    },

    /** Enables or disables the technician whose username (email) is `techUsername`. */
    setTechnicianStatus(
      techUsername: string,
      status: TechnicianStatus,
      init: CallOptions = {},
    ): Promise<ApiResult<OperationResult, ErrorStatus<operations['setTechnicianStatus']>>> {
      return toResult('setTechnicianStatus', secrets, () =>
        http.PUT('/tech/{techUsername}', { params: { path: { techUsername } }, body: { status }, ...init }),
      );
    },

    /** The underlying openapi-fetch client, typed by the spec, for anything the methods do not cover. */
    http,
  };
}
