// The error answers Gestion's handlers share: the spec's permissive Error, `{status, error, message}`.
import type { components } from './spec-types.js';

const error = <Status extends number>(status: Status, phrase: string, message: string): { status: Status; body: components['schemas']['Error'] } => ({
  status,
  body: { status, error: phrase, message },
});

export const unauthorized = (message: string) => error(401, 'UNAUTHORIZED', message);
export const notFound = (message: string) => error(404, 'NOT FOUND', message);
export const badRequest = (message: string) => error(400, 'BAD REQUEST', message);
