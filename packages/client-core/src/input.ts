import { describeCause } from './body.js';
import type { ApiError } from './errors.js';

/**
 * An argument that cannot be put in a request. Thrown while a call is built, before anything is on the
 * wire: the call then ends at once as an `invalid-input` error (never retried, since each attempt would
 * fail the same way) whose message names the argument.
 */
export class InputError extends Error {
  override name = 'InputError';
}

/** The result of a call refused before anything was sent: one attempt, status 0. */
export function refusal<Status extends number>(operation: string, message: string): { error: ApiError<Status> } {
  return { error: { kind: 'invalid-input', operation, status: 0, message, attempts: 1 } };
}

/**
 * Runs the checks and serializations of a call's input (which throw {@link InputError}) before the call
 * starts, so that a refused input sends nothing, not even a login.
 */
export function checkInput<Value>(operation: string, check: () => Value): { value: Value; error?: undefined } | { value?: undefined; error: ApiError<never> } {
  try {
    return { value: check() };
  } catch (cause) {
    if (cause instanceof InputError) return refusal(operation, cause.message);
    throw cause;
  }
}

/**
 * A JSON body (every body of these APIs is an object or a list), or an {@link InputError} naming `argument`
 * when it is something else (missing, a number...) or JSON.stringify cannot serialize it (a BigInt, a cycle).
 */
export function toJson(value: unknown, argument: string): string {
  if (typeof value !== 'object' || value === null) throw new InputError(`${argument} must be an object, got ${typeOf(value)}`);
  try {
    return JSON.stringify(value);
  } catch (cause) {
    throw new InputError(`${argument} cannot be sent as JSON: ${describeCause(cause)}`);
  }
}

/** openapi-fetch's `bodySerializer` for the body passed as `argument`, made once per method. */
export const jsonBody =
  (argument: string) =>
  (body: unknown): string =>
    toJson(body, argument);

/**
 * A path parameter. openapi-fetch would put anything else into the path as it is: an object's keys and
 * values, a number's digits, and `{name}` itself for undefined, so that the call reaches another resource.
 */
export function pathParam(value: unknown, argument: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new InputError(`${argument} must be a non-empty string, got ${typeOf(value)}`);
}

/**
 * Query parameters whose values are all scalars in the spec. An object or an array would be spread over
 * several parameters (openapi-fetch refuses deeper ones), a function or a symbol sent as its text or refused
 * while the URL is built: each is refused here, naming the parameter. `undefined` leaves the parameter out.
 */
export function scalarQuery<Query extends Record<string, unknown>>(query: Query): Query {
  for (const name in query) {
    const refused = notScalar(query[name], name);
    if (refused) throw new InputError(refused);
  }
  return query;
}

/** Why `value` cannot be the query parameter `name` (see {@link scalarQuery}), or undefined when it can. */
export function notScalar(value: unknown, name: string): string | undefined {
  const type = typeof value;
  if (value == null || type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint') return undefined;
  return `${name} must be a string or a number, got ${typeOf(value)}`;
}

/** What a value is, for a message: `an object`, `an array`, `undefined`, `a number (42)`. */
function typeOf(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  if (type === 'number' || type === 'boolean') return `a ${type} (${String(value)})`;
  if (type === 'string') return value === '' ? 'an empty string' : 'a string';
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}
