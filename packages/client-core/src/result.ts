import { messageOf, redact, type ApiError } from './errors.js';

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
 * whose message has every secret removed.
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
    return { error: transportError<Status>(operation, cause, secrets) };
  }
  const { response } = outcome;
  if (response.ok) return { data: outcome.data as Data, response };
  return {
    error: {
      kind: 'http',
      operation,
      status: response.status as Status,
      message: redact(messageOf(outcome.error, response.status), secrets),
      body: outcome.error,
    },
    response,
  };
}

function transportError<Status extends number>(
  operation: string,
  cause: unknown,
  secrets: readonly string[],
): ApiError<Status> {
  const name = cause instanceof Error ? cause.name : '';
  const detail = cause instanceof Error ? describe(cause) : String(cause);
  const kind =
    name === 'TimeoutError' ? 'timeout' : name === 'AbortError' ? 'aborted' : name === 'SyntaxError' ? 'invalid-response' : 'network';
  const lead = {
    timeout: 'The call timed out',
    aborted: 'The call was aborted',
    'invalid-response': 'The response body is not valid JSON',
    network: 'The request could not be sent',
  }[kind];
  return {
    kind,
    operation,
    status: 0,
    message: redact(`${lead}: ${detail}`, secrets),
    cause: cause instanceof Error ? safeError(cause, secrets) : undefined,
  };
}

/** An error's message with its cause's, since fetch hides the useful part (ECONNREFUSED) in `cause`. */
function describe(error: Error): string {
  const inner = error.cause instanceof Error ? error.cause.message : '';
  return inner && !error.message.includes(inner) ? `${error.message} (${inner})` : error.message;
}

function safeError(error: Error, secrets: readonly string[]): Error {
  const copy = new Error(redact(describe(error), secrets));
  copy.name = error.name;
  return copy;
}
