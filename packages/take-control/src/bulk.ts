import { refusal as refuse, type ApiError, type ApiResult, type CallOptions, type ErrorStatus } from '@techapi/client-core';
import type { components, operations } from './generated/openapi.js';

type TechnicianCreate = components['schemas']['TechnicianCreate'];
type BulkCreateResult = components['schemas']['BulkCreateResult'];
type BulkTechnicianResult = components['schemas']['BulkTechnicianResult'];

/** The vendor documents no batch limit; 100 keeps each request small and a failed batch cheap. */
export const DEFAULT_BATCH_SIZE = 100;

export const MISSING_FROM_RESPONSE = "missing from the server's response";

export interface BulkCreateOptions extends CallOptions {
  /** Technicians per request; default 100. The vendor documents no limit. */
  batchSize?: number;
  /** Called after each batch, with the counts so far. If it throws, createTechnicians rejects with that error. */
  onProgress?: (progress: BulkProgress) => void;
}

export interface BulkProgress {
  /** Input technicians settled so far (created or failed), out of `total`. */
  done: number;
  total: number;
  created: number;
  failed: number;
  /** Batches sent so far, out of `batches`. */
  batch: number;
  batches: number;
}

/** What became of one input technician. */
export type TechnicianOutcome =
  | {
      email: string;
      created: true;
      /** The server's entry for this email, e.g. `{ result: 'SUCCESS' }`. */
      result: BulkTechnicianResult;
    }
  | {
      email: string;
      created: false;
      /** Why, in words: the server's message, or what the client saw. */
      reason: string;
      /** The error of the technician's batch, when the batch as a whole failed. */
      error?: ApiError<ErrorStatus<operations['createTechnicians']>>;
      /** The server's entry for this email, when it sent one that is not a success. */
      result?: BulkTechnicianResult;
    };

export type FailedTechnician = Extract<TechnicianOutcome, { created: false }>;

/**
 * The outcome of `createTechnicians`: every input technician is in `results`, in input order, as created
 * or failed with its reason. A batch that fails as a whole (an HTTP error once retries are spent, a network
 * error, a timeout, an abort) marks each of its technicians failed with the batch's error; an email the
 * server's response leaves out is failed with "missing from the server's response". An email that appears
 * again later in the input (compared ignoring case) is sent once: each later copy is failed as a duplicate.
 */
export interface BulkCreateReport {
  /** One outcome per input technician, in input order. */
  results: TechnicianOutcome[];
  /** The emails created, in input order. */
  created: string[];
  /** The technicians not created, in input order, each with its reason. */
  failed: FailedTechnician[];
  /** Set, with nothing sent, when the call itself was refused (`invalid-input`): an empty or non-array input, an invalid `batchSize`. */
  error?: ApiError<ErrorStatus<operations['createTechnicians']>>;
}

type SendBatch = (
  technicians: TechnicianCreate[],
  init: CallOptions,
) => Promise<ApiResult<BulkCreateResult, ErrorStatus<operations['createTechnicians']>>>;

export async function createInBatches(
  technicians: readonly TechnicianCreate[],
  options: BulkCreateOptions,
  sendBatch: SendBatch,
): Promise<BulkCreateReport> {
  const { batchSize = DEFAULT_BATCH_SIZE, onProgress, ...init } = options;
  const refusal = !Array.isArray(technicians) || technicians.length === 0
    ? 'technicians: give a list of at least one technician'
    : Number.isInteger(batchSize) && batchSize > 0
      ? ''
      : `batchSize must be a whole number of at least 1, got ${batchSize}`;
  if (refusal) {
    return { results: [], created: [], failed: [], ...refuse('createTechnicians', refusal) };
  }

  // Each email is sent once, at its first occurrence; a later copy is settled now as a duplicate.
  const results: TechnicianOutcome[] = [];
  const firstIndex = new Map<string, number>();
  const toSend: number[] = [];
  technicians.forEach((technician, index) => {
    const email = emailOf(technician);
    const first = email ? firstIndex.get(email.toLowerCase()) : undefined;
    if (first === undefined) {
      firstIndex.set(email.toLowerCase(), index);
      toSend.push(index);
    } else {
      results[index] = { email, created: false, reason: `duplicate of technicians[${first}] (same email, ignoring case), which is sent instead` };
    }
  });

  const batches = Math.ceil(toSend.length / batchSize);
  let created = 0;
  let failed = technicians.length - toSend.length;
  for (let batch = 0; batch < batches; ) {
    const indexes = toSend.slice(batch * batchSize, ++batch * batchSize);
    const result = await sendBatch(
      indexes.map((index) => technicians[index] as TechnicianCreate),
      init,
    );
    for (const index of indexes) {
      const outcome = (results[index] = outcomeOf(emailOf(technicians[index]), result));
      if (outcome.created) created++;
      else failed++;
    }
    onProgress?.({ done: created + failed, total: technicians.length, created, failed, batch, batches });
  }

  return {
    results,
    created: results.filter((outcome) => outcome.created).map((outcome) => outcome.email),
    failed: results.filter((outcome): outcome is FailedTechnician => !outcome.created),
  };
}

function outcomeOf(email: string, result: Awaited<ReturnType<SendBatch>>): TechnicianOutcome {
  if (result.error) return { email, created: false, reason: result.error.message, error: result.error };
  // The server's entry for the email: keyed as sent, else the same address in another case.
  const entries: Record<string, unknown> = Object(Object(Object(result.data).details).technicians);
  const key = Object.hasOwn(entries, email) ? email : Object.keys(entries).find((candidate) => candidate.toLowerCase() === email.toLowerCase());
  const entry = entries[key ?? ''];
  if (!isRecord(entry)) return { email, created: false, reason: MISSING_FROM_RESPONSE };
  if (String(entry.result).toUpperCase() === 'SUCCESS') return { email, created: true, result: entry };
  // The vendor documents only `{result: "SUCCESS"}`: any message-like field of another entry is its reason.
  const reason = [entry.message, entry.error, entry.errorMessage, entry.reason].find((value) => typeof value === 'string' && value);
  return { email, created: false, reason: (reason as string) ?? `the server answered result "${String(entry.result)}"`, result: entry };
}

/** The input's email as given; an item without one (the server refuses it) is reported under "". */
function emailOf(technician: unknown): string {
  const email = isRecord(technician) ? technician.email : undefined;
  return typeof email === 'string' ? email : '';
}

function isRecord(value: unknown): value is BulkTechnicianResult & Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
