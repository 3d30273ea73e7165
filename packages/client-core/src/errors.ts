/**
 * The one error type both clients return. A call never throws for an HTTP or transport failure: it
 * resolves with `{ error }`, whose `kind` says what happened and whose `message` is the server's own
 * words when it sent any.
 */
export type ApiErrorKind =
  /** The server answered with a status outside 2xx. */
  | 'http'
  /** The request could not reach the server, or no response came back: connection refused, reset, DNS failure. */
  | 'network'
  /** The call's timeout elapsed. */
  | 'timeout'
  /** The caller aborted the call through its signal. */
  | 'aborted'
  /** A 2xx response whose body is not the JSON the spec promises (not JSON, truncated, too large). */
  | 'invalid-response'
  /** The call cannot be made in this environment (a GET with a body where fetch refuses one, undici that cannot be loaded); never retried. */
  | 'unsupported'
  /**
   * The input cannot be put in a request (a path parameter that is not a string, a body JSON cannot hold,
   * a query value that is not a scalar): refused at once, nothing sent, never retried; the message names it.
   */
  | 'invalid-input';

export interface ApiError<Status extends number = number> {
  kind: ApiErrorKind;
  /** The operationId of the call that failed. */
  operation: string;
  /**
   * The HTTP status; 0 when no response was received, or for an `invalid-response` (a 2xx whose body is
   * unusable: its `response` is then in the result).
   */
  status: Status | 0;
  /** The server's message when it sent one, else a description of the failure. Never holds a secret. */
  message: string;
  /** The parsed response body (JSON when it parses, else text), when there was one. */
  body?: unknown;
  /** How many attempts the call made, retries included (1 for a call refused before anything was sent). */
  attempts?: number;
}

/** What every client method resolves with, in openapi-fetch's shape: check `error` first. */
export type ApiResult<Data, Status extends number = number> =
  | { data: Data; error?: undefined; response: Response }
  | { data?: undefined; error: ApiError<Status>; response?: Response };

/** Replaces every occurrence of each secret with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  // JS callers can pass undefined (a missing password): nothing to hide then.
  for (const secret of secrets) if (secret) text = text.split(secret).join('[redacted]');
  return text;
}

/** A parsed body with every secret replaced, for bodies a server may have echoed a header into. */
export function redactBody(body: unknown, secrets: readonly string[]): unknown {
  const json = JSON.stringify(body);
  // A secret appears in the JSON text either as is or, when it holds quotes or backslashes, escaped.
  const safe = json && redact(json, secrets.flatMap((secret) => (secret ? [secret, JSON.stringify(secret).slice(1, -1)] : [])));
  if (safe === json) return body;
  try {
    return JSON.parse(safe);
  } catch {
    return safe; // the secret matched across the JSON's own punctuation: keep the redacted text
  }
}

/**
 * The human message of an error body, whatever shape the server (or the mock) gave it: the vendors'
 * `{status, message}`, Prism's `{error: {code, message}}`, RFC 9457 problem details (`title`, `detail`,
 * Prism's `validation[]`), or plain text.
 */
export function messageOf(body: unknown, status: number): string {
  if (typeof body === 'string') return body.trim().slice(0, 500) || `HTTP ${status}`;
  const fields = (body ?? {}) as { [field: string]: any };
  const problem = [
    fields.title,
    fields.detail,
    ...(Array.isArray(fields.validation) ? fields.validation : []).map(
      (violation) => text(violation?.message) && (Array.isArray(violation.location) ? `${violation.location.join('.')}: ` : '') + violation.message,
    ),
  ];
  return text(fields.message) ?? text(fields.error?.message) ?? text(fields.error) ?? (problem.filter(text).join(': ') || `HTTP ${status}`);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
