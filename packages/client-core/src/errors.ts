/**
 * The one error type both clients return. A call never throws for an HTTP or transport failure: it
 * resolves with `{ error }`, whose `kind` says what happened and whose `message` is the server's own
 * words when it sent any.
 */
export type ApiErrorKind =
  /** The server answered with a status outside 2xx. */
  | 'http'
  /** No response: connection refused, reset, DNS failure. */
  | 'network'
  /** The call's timeout elapsed. */
  | 'timeout'
  /** The caller aborted the call through its signal. */
  | 'aborted'
  /** A 2xx response whose body is not the JSON the spec promises (not JSON, truncated, too large). */
  | 'invalid-response'
  /** The call cannot be made in this environment (e.g. a GET with a body where fetch refuses one). */
  | 'unsupported'
  /** The client refused the input before sending it. */
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
  /** The underlying exception for transport failures, with secrets removed from its message. */
  cause?: unknown;
  /** How many times the request was sent (retries included), for calls that retry. */
  attempts?: number;
}

/** Replaces every occurrence of each secret with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let safe = text;
  for (const secret of secrets) {
    // JS callers can pass undefined (a missing password): nothing to hide then.
    if (typeof secret === 'string' && secret.length > 0) safe = safe.split(secret).join('[redacted]');
  }
  return safe;
}

/** A parsed body with every secret replaced, for bodies a server may have echoed a header into. */
export function redactBody(body: unknown, secrets: readonly string[]): unknown {
  if (body === undefined) return body;
  const json = JSON.stringify(body);
  // A secret appears in the JSON text either as is or, when it holds quotes or backslashes, escaped.
  const forms = secrets.flatMap((secret) => (typeof secret === 'string' ? [secret, JSON.stringify(secret).slice(1, -1)] : []));
  const safe = redact(json, forms);
  if (safe === json) return body;
  try {
    return JSON.parse(safe);
  } catch {
    return safe; // the secret matched across the JSON's own punctuation: keep the redacted text
  }
}

/**
 * The human message of an error body, whatever shape the server (or the mock) gave it:
 * the vendors' `{status, message}`, RFC 9457 problem details (`title`, `detail`, Prism's
 * `validation[]`), Prism's `{error: {code, message}}`, or plain text.
 */
export function messageOf(body: unknown, status: number): string {
  if (typeof body === 'string') {
    const text = body.trim();
    return text.length > 0 ? truncate(text) : `HTTP ${status}`;
  }
  if (isRecord(body)) {
    if (typeof body.message === 'string' && body.message) return body.message;
    if (isRecord(body.error) && typeof body.error.message === 'string') return body.error.message;
    if (typeof body.error === 'string' && body.error) return body.error;
    const problem = [body.title, body.detail].filter((part) => typeof part === 'string' && part);
    if (Array.isArray(body.validation)) {
      for (const violation of body.validation) {
        if (isRecord(violation) && typeof violation.message === 'string') {
          const where = Array.isArray(violation.location) ? violation.location.join('.') : '';
          problem.push(where ? `${where}: ${violation.message}` : violation.message);
        }
      }
    }
    if (problem.length > 0) return problem.join(': ');
  }
  return `HTTP ${status}`;
}

function truncate(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
