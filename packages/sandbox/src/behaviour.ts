// What makes one API of the sandbox (its spec, credentials, answers to bad input, handlers and state), and
// the shapes a request and an answer take between the engine and the handlers. Nothing here knows how a
// request arrived: a node:http server (http.ts) and MSW handlers share the same behaviours.
import type { SpecOperation, Violation } from '@techapi/openapi-validator';
import type { ClientWatch } from './findings.js';
import type { OpenApiDocument } from './specs.js';

/** Request headers by lower-case name, as Node's `IncomingHttpHeaders` holds them. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/** A request on a vendor path, as a handler sees it: already authenticated, rate-limited and valid for the spec. */
export interface SandboxRequest {
  operationId: string;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  headers: RequestHeaders;
  /** The parsed JSON body; undefined when there is none. */
  body: unknown;
}

/** An answer. A body is sent as JSON. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What makes one API: its spec, how it checks credentials and answers bad input, its operations and state. */
export interface ApiBehaviour {
  name: string;
  spec: OpenApiDocument;
  /** A refusal, or the credential the request was made with (the rate limit counts per credential). */
  authenticate(headers: RequestHeaders, operation: SpecOperation): Reply | { credential: string };
  /** The documented answer to a request that breaks the spec. */
  invalidRequest(operationId: string, violations: Violation[]): Reply;
  /** The body of an answer outside the spec's operations (unknown path, fault, broken contract). */
  errorBody(status: number, message: string): unknown;
  handlers: Record<string, (request: SandboxRequest) => Reply>;
  /** The credential a request carries, as sent, right or wrong (`''` for none): whose requests the findings follow. Default: none. */
  clientOf?(headers: RequestHeaders): string;
  /** Values never written to the journal, wherever they appear (the integration key). */
  secrets?: readonly string[];
  /** The body as the journal shows it, for an operation whose body holds a secret (a login's password). */
  redactBody?(operationId: string | undefined, text: string): string;
  /** A new watch of the clients' behaviour on this API (see findings.ts). */
  watchClients?(): ClientWatch;
  state(): unknown;
  reset(): void;
  seed(data: unknown): void;
}

/**
 * A request's violation in an error message, as a sentence: where (`body /email`, `query dateFin`,
 * `content-type`) and what is wrong, with the allowed values of an enum. A finding about the body as a
 * whole that already has its subject (`a body is required`) is not prefixed with `body`.
 */
export function describeViolation({ location, field, message, keyword, params }: Violation): string {
  if (keyword === 'enum' && Array.isArray(params?.allowedValues)) {
    message = `${message}: ${params.allowedValues.map((value: unknown) => JSON.stringify(value)).join(', ')}`;
  }
  if (location === 'body' && !field && /^(a|an|the) /.test(message)) return message;
  return `${location}${field ? ` ${field}` : ''} ${message}`;
}
