import { ResponseBodyError, describeCause } from './body.js';
import { messageOf, redact, redactBody, type ApiError, type ApiErrorKind } from './errors.js';

/** What every client method resolves with, in openapi-fetch's shape: check `error` first. */
export type ApiResult<Data, Status extends number = number> =
  | { data: Data; error?: undefined; response: Response }
  | { data?: undefined; error: ApiError<Status>; response?: Response };

/** What an openapi-fetch call resolves with, reduced to the parts we read. */
export interface FetchOutcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * Runs one openapi-fetch call and turns every way it can end into an {@link ApiResult}: a 2xx gives
 * `data`; any other status, a thrown transport failure or an unreadable body gives a typed `error`
 * whose message has every secret removed. No timeout, no retry: a client's runtime adds those.
 */
export async function toResult<Data, Status extends number>(
  operation: string,
  secrets: readonly string[],
  send: () => Promise<FetchOutcome>,
): Promise<ApiResult<Data, Status>> {
  let outcome: FetchOutcome;
  try {
    outcome = await send();
  } catch (cause) {
    if (cause instanceof ResponseBodyError) return bodyErrorResult(operation, cause, secrets);
    const name = cause instanceof Error ? cause.name : '';
    const kind = name === 'TimeoutError' ? 'timeout' : name === 'AbortError' ? 'aborted' : name === 'SyntaxError' ? 'invalid-response' : 'network';
    return { error: transportError<Status>(kind, operation, cause, secrets) };
  }
  const { response } = outcome;
  if (response.ok) return { data: outcome.data as Data, response };
  return httpErrorResult(operation, response, outcome.error, secrets);
}

/** The result of a non-2xx response whose body (JSON when it parses, else text) is `body`. */
export function httpErrorResult<Status extends number>(
  operation: string,
  response: Response,
  body: unknown,
  secrets: readonly string[],
  note?: string,
): { error: ApiError<Status>; response: Response } {
  const message = messageOf(body, response.status);
  return {
    error: {
      kind: 'http',
      operation,
      status: response.status as Status,
      message: redact(note ? `${message} (${note})` : message, secrets),
      body: redactBody(body, secrets),
    },
    response,
  };
}

/** A response whose body could not be used: an `http` error for a non-2xx status, else `invalid-response`. */
export function bodyErrorResult<Status extends number>(
  operation: string,
  failure: ResponseBodyError,
  secrets: readonly string[],
): { error: ApiError<Status>; response: Response } {
  const { response } = failure;
  if (!response.ok) return httpErrorResult(operation, response, undefined, secrets, failure.message);
  return { error: { kind: 'invalid-response', operation, status: 0, message: redact(failure.message, secrets) }, response };
}

const LEADS: Record<Exclude<ApiErrorKind, 'http' | 'unsupported' | 'invalid-input'>, string> = {
  timeout: 'The call timed out',
  aborted: 'The call was aborted',
  'invalid-response': 'The response body is not valid JSON',
  network: 'The request could not be sent',
};

/** An error for a call that ended without a usable response. */
export function transportError<Status extends number>(
  kind: keyof typeof LEADS,
  operation: string,
  cause: unknown,
  secrets: readonly string[],
  lead = LEADS[kind],
): ApiError<Status> {
  const detail = cause === undefined ? '' : describeCause(cause);
  return {
    kind,
    operation,
    status: 0,
    message: redact(detail ? `${lead}: ${detail}` : lead, secrets),
    cause: cause instanceof Error ? safeError(cause, secrets) : undefined,
  };
}

function safeError(error: Error, secrets: readonly string[]): Error {
  const copy = new Error(redact(describeCause(error), secrets));
  copy.name = error.name;
  return copy;
}
