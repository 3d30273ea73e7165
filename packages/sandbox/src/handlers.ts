// Handlers typed by the spec's generated types (openapi-typescript's `operations` of each client package),
// as counterfact lays out a stateful mock: what a handler is given is what its operation takes, and what
// it answers is one of the status/body pairs its operation documents, so an answer the spec does not
// document fails to compile (the server still checks every answer at run time, see http.ts).
import type { ApiBehaviour, Reply, RequestHeaders, SandboxRequest } from './behaviour.js';

/** An operation as openapi-typescript writes it. */
interface Operation {
  parameters: { query?: unknown; path?: unknown };
  requestBody?: unknown;
  responses: object;
}

/** The JSON body a response or request body documents, else undefined. */
type JsonOf<Content> = Content extends { content: { 'application/json': infer Body } } ? Body : undefined;

/**
 * Every answer the operation documents: `{ status, body }` for each documented status, the body as its
 * schema says, and none where the spec documents none.
 */
export type Answer<Op extends Operation> = {
  [Status in keyof Op['responses'] & number]: JsonOf<Op['responses'][Status]> extends undefined
    ? { status: Status; body?: undefined }
    : { status: Status; body: JsonOf<Op['responses'][Status]> };
}[keyof Op['responses'] & number];

/** The names of the operation's query parameters; none when it documents none. */
type QueryName<Op extends Operation> = [NonNullable<Op['parameters']['query']>] extends [never] ? never : keyof NonNullable<Op['parameters']['query']> & string;

/** The query string (a `URLSearchParams`), read by the names the operation documents. Values are as sent: strings. */
export interface Query<Name extends string> {
  get(name: Name): string | null;
}

/** A request as its handler sees it: authenticated, within the rate limit, and valid for the spec. */
export interface OperationRequest<Op extends Operation> {
  operationId: string;
  pathParams: Op['parameters'] extends { path: infer Path } ? Path : Record<string, never>;
  query: Query<QueryName<Op>>;
  headers: RequestHeaders;
  /** The parsed JSON body, valid for the operation's schema. */
  body: Op extends { requestBody: infer Body } ? JsonOf<Body> : undefined;
}

/** One operation's behaviour: `context` is the API's state and settings (its store). */
export type Handler<Op extends Operation, Context> = (request: OperationRequest<Op>, context: Context) => Answer<Op>;

/** A handler for every operation of a spec, by operationId: an operation without one fails to compile. */
export type Handlers<Operations, Context> = { [OperationId in keyof Operations]: Operations[OperationId] extends Operation ? Handler<Operations[OperationId], Context> : never };

/** The server's view of the handlers: each bound to the API's context, once (nothing more per request). */
export function bindHandlers<Operations, Context>(handlers: Handlers<Operations, Context>, context: Context): ApiBehaviour['handlers'] {
  const bound: ApiBehaviour['handlers'] = {};
  for (const [operationId, handler] of Object.entries(handlers)) {
    // The server calls a handler only with a request the spec accepts, which is what its typed request says.
    const untyped = handler as (request: SandboxRequest, context: Context) => Reply;
    bound[operationId] = (request) => untyped(request, context);
  }
  return bound;
}
