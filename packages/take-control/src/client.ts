import createClient from 'openapi-fetch';
import {
  checkInput,
  createRuntime,
  jsonBody,
  toJson,
  pathParam,
  type ApiResult,
  type CallOptions,
  type ClientRuntimeOptions,
  type ErrorStatus,
} from '@techapi/client-core';
import { createInBatches, type BulkCreateOptions, type BulkCreateReport } from './bulk.js';
import type { components, operations, paths } from './generated/openapi.js';

export type TechnicianCreate = components['schemas']['TechnicianCreate'];
export type TechnicianStatus = components['schemas']['TechnicianStatus'];
export type OperationResult = components['schemas']['OperationResult'];
export type BulkCreateResult = components['schemas']['BulkCreateResult'];
export type BulkTechnicianResult = components['schemas']['BulkTechnicianResult'];
/** The body of every documented error: `{status, message}`. */
export type ErrorBody = components['schemas']['Error'];

export interface TakeControlClientOptions extends ClientRuntimeOptions {
  /** The API's base URL, e.g. `https://api.us0.swi-rc.com/rest` (your account's region is in its dashboard). */
  baseUrl: string;
  /** A private integration key. It is sent as `Authorization: INTEGRATION-KEY <key>` and never appears in an error. */
  integrationKey: string;
}

export type TakeControlClient = ReturnType<typeof createTakeControlClient>;

/**
 * A typed client for the Take Control Technician API. Each method resolves with `{ data, response }` on
 * success or `{ error }` otherwise; it never throws for HTTP or network failures. 429s are retried for
 * every call (the server did not process the request); 5xx, timeouts and dropped connections only for
 * the idempotent `setTechnicianStatus` (a PUT), since a create sent twice could create twice.
 */
export function createTakeControlClient(options: TakeControlClientOptions) {
  const { baseUrl, integrationKey } = options;
  if (!integrationKey) throw new TypeError('createTakeControlClient: integrationKey is required');
  const secrets = [integrationKey];
  const runtime = createRuntime(options);
  const http = createClient<paths>({
    baseUrl,
    headers: { Authorization: `INTEGRATION-KEY ${integrationKey}` },
    ...runtime.wire,
  });

  // These bodies are serialized by a serializer that names its argument when JSON cannot hold it (a BigInt,
  // a cycle): the call then ends as `invalid-input` before anything is sent.
  const techniciansJson = jsonBody('technicians');
  const statusJson = jsonBody('status');

  /** One POST /tech/bulk: the batch step of createTechnicians. */
  const createBatch = (
    technicians: TechnicianCreate[],
    init: CallOptions,
  ): Promise<ApiResult<BulkCreateResult, ErrorStatus<operations['createTechnicians']>>> =>
    runtime.call({ operation: 'createTechnicians', method: 'POST', secrets }, init, (attempt) =>
      http.POST('/tech/bulk', { body: technicians, bodySerializer: techniciansJson, headers: init.headers, ...attempt }),
    );

  return {
    /** Creates one technician account. `email` (the username) and `name` are required. */
    createTechnician(
      technician: TechnicianCreate,
      init: CallOptions = {},
    ): Promise<ApiResult<OperationResult, ErrorStatus<operations['createTechnician']>>> {
      // Serialized here, once for every attempt: openapi-fetch would send a missing body as no body at all.
      const body = checkInput('createTechnician', () => toJson(technician, 'technician'));
      if (body.error) return Promise.resolve(body);
      return runtime.call({ operation: 'createTechnician', method: 'POST', secrets }, init, (attempt) =>
        http.POST('/tech', { body: technician, bodySerializer: () => body.value, headers: init.headers, ...attempt }),
      );
    },

    /**
     * Creates any number of technician accounts, in batches of `batchSize` (default 100) sent one after
     * the other, and resolves with one outcome per input technician: created, or failed with the reason.
     * It never rejects for HTTP or network failures and never drops a technician (see {@link BulkCreateReport}).
     */
    createTechnicians(technicians: readonly TechnicianCreate[], init: BulkCreateOptions = {}): Promise<BulkCreateReport> {
      return createInBatches(technicians, init, createBatch);
    },

    /**
     * Enables or disables the technician whose username (email) is `techUsername`. Both are the operation's
     * required input (the path's technician, the body's status), so both come before the call options.
     */
    setTechnicianStatus(
      techUsername: string,
      status: TechnicianStatus,
      init: CallOptions = {},
    ): Promise<ApiResult<OperationResult, ErrorStatus<operations['setTechnicianStatus']>>> {
      return runtime.call({ operation: 'setTechnicianStatus', method: 'PUT', secrets }, init, (attempt) =>
        http.PUT('/tech/{techUsername}', {
          params: { path: { techUsername: pathParam(techUsername, 'techUsername') } },
          body: { status },
          bodySerializer: statusJson,
          headers: init.headers,
          ...attempt,
        }),
      );
    },

    /**
     * The underlying openapi-fetch client, typed by the spec, for anything the methods do not cover. It
     * shares the transport and the body-size limit, not the timeouts, retries or typed errors.
     */
    http,
  };
}
