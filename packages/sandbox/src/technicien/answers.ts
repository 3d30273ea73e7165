// The error answers Gestion's handlers share: the spec's permissive Error, `{status, error, message}`.
import type { components } from './spec-types.js';

const error = <Status extends number>(status: Status, phrase: string, message: string): { status: Status; body: components['schemas']['Error'] } => ({
  status,
  body: { status, error: phrase, message },
});

export const unauthorized = (message: string) => error(401, 'UNAUTHORIZED', message);
export const notFound = (message: string) => error(404, 'NOT FOUND', message);
export const badRequest = (message: string) => error(400, 'BAD REQUEST', message);

/** The 401 of a token past its 12 hours; the client watch knows the client was told by it. */
export const EXPIRED_TOKEN = 'The token has expired (a token is valid 12 hours): log in again';
