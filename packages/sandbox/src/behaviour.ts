// What makes one API of the sandbox (its spec, credentials, answers to bad input, handlers and state), and
// the shapes a request and an answer take between the engine and the handlers. Nothing here knows how a
// request arrived: a node:http server (http.ts) and MSW handlers share the same behaviours.
import type { SpecOperation, Violation } from '@techapi/openapi-validator';
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
  state(): unknown;
  reset(): void;
  seed(data: unknown): void;
}

/** A request's violation in an error message: where (`body /email`, `query dateFin`, `content-type`) and what is wrong. */
export function describeViolation({ location, field, message }: Violation): string {
  return `${location}${field ? ` ${field}` : ''} ${message}`;
}
