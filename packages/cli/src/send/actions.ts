// What a run does to each row, one request at a time: create technicians in bulk (POST /tech/bulk, through
// the client's createTechnicians) or set their status (PUT /tech/{techUsername}, one each). An action only
// sends and reads the answer; the journal, retries of unanswered requests and counts are send.ts's.
import type { ApiError, TakeControlClient, TechnicianCreate, TechnicianStatus } from '@techapi/take-control';
import { UsageError } from '../errors.js';
import type { Item } from './items.js';

/** One row's outcome in an answered request. */
export type ItemOutcome =
  | { kind: 'done' }
  /** Refused: `exists` when the server says the row is already there (a 409). */
  | { kind: 'refused'; reason: string; exists: boolean }
  /** Left out of the server's answer: send it again. */
  | { kind: 'again' };

export type RequestOutcome =
  | { kind: 'answered'; items: ItemOutcome[] }
  /** The server refused the request as a whole (a 4xx), doing nothing: send the rows apart to find the one. */
  | { kind: 'refused-whole'; error: ApiError }
  /** No answer (5xx, timeout, dropped connection): the rows were possibly done. */
  | { kind: 'unanswered'; error: ApiError };

export interface SendContext {
  /** Aborted on the second Ctrl-C: the request in flight is abandoned. */
  signal: AbortSignal;
  /** A 429's wait, as the server asked: the client waits it out, never failing a row for it. */
  onRateLimit(waitMs: number): void;
}

export interface Action {
  readonly name: 'create' | 'enable' | 'disable';
  /** The past tense the summary counts in: created, enabled, disabled. */
  readonly past: 'created' | 'enabled' | 'disabled';
  /** Rows per request. */
  readonly batchSize: number;
  /** Requests in flight at once. */
  readonly inFlight: number;
  send(items: Item[], context: SendContext): Promise<RequestOutcome>;
}

/**
 * The retry policy of every request: a 429 is waited out for as long as it takes (the client honours
 * Retry-After); any other retry is send.ts's, so that the journal knows about it.
 */
function retryOnlyRateLimits(context: SendContext, giveUp: AbortController, noted: { error?: ApiError }) {
  return {
    retry: { attempts: Infinity, maxElapsedMs: Infinity },
    signal: AbortSignal.any([context.signal, giveUp.signal]),
    onRetry: ({ waitMs, error }: { waitMs: number; error: ApiError }) => {
      if (error.status === 429) context.onRateLimit(waitMs);
      else {
        noted.error = error;
        giveUp.abort();
      }
    },
  };
}

/** How a request that failed as a whole is read: a refused key stops the run; a 4xx refused it; the rest went unanswered. */
function wholeFailure(error: ApiError, noted: { error?: ApiError }, signal: AbortSignal): RequestOutcome {
  if (error.kind === 'aborted' && signal.aborted) return { kind: 'unanswered', error };
  const cause = noted.error ?? error;
  if (cause.status === 401 || cause.status === 403) {
    throw new UsageError(`The server refused the integration key (${cause.status}: ${cause.message}): check TAKE_CONTROL_KEY or --key-file.`);
  }
  if (cause.kind === 'http' && cause.status >= 400 && cause.status < 500) return { kind: 'refused-whole', error: cause };
  return { kind: 'unanswered', error: cause };
}

export function createAction(client: TakeControlClient, batchSize: number): Action {
  return {
    name: 'create',
    past: 'created',
    batchSize,
    inFlight: 1,
    async send(items, context) {
      const giveUp = new AbortController();
      const noted: { error?: ApiError } = {};
      const result = await client.createTechnicians(
        items.map((item) => item.fields as TechnicianCreate),
        { batchSize: items.length, ...retryOnlyRateLimits(context, giveUp, noted) },
      );
      if (result.error) throw new Error(`createTechnicians refused its input: ${result.error.message}`);
      const refusedWhole = result.results.every((outcome) => !outcome.created && outcome.error);
      if (refusedWhole) return wholeFailure((result.results[0] as { error: ApiError }).error, noted, context.signal);
      return {
        kind: 'answered',
        items: result.results.map((outcome): ItemOutcome => {
          if (outcome.created) return { kind: 'done' };
          if (!outcome.result && !outcome.error) return { kind: 'again' };
          return { kind: 'refused', reason: outcome.reason, exists: /already exists/i.test(outcome.reason) };
        }),
      };
    },
  };
}

/** Requests in flight at once for status changes: enough to use a rate limit of dozens per second on a distant server. */
export const STATUS_IN_FLIGHT = 8;

export function statusAction(client: TakeControlClient, status: TechnicianStatus): Action {
  return {
    name: status === 'enabled' ? 'enable' : 'disable',
    past: status,
    batchSize: 1,
    inFlight: STATUS_IN_FLIGHT,
    async send(items, context) {
      const giveUp = new AbortController();
      const noted: { error?: ApiError } = {};
      // The API answers 200 whether or not the technician was already in that state: either way it is now.
      const result = await client.setTechnicianStatus((items[0] as Item).email, status, retryOnlyRateLimits(context, giveUp, noted));
      if (result.error) return wholeFailure(result.error, noted, context.signal);
      return { kind: 'answered', items: [{ kind: 'done' }] };
    },
  };
}
