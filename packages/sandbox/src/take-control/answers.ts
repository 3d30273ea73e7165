// The answers Take Control's handlers share, in the vendor's shapes (the spec's Error and OperationResult).
import type { components } from './spec-types.js';

/** The vendor's error body, `{"status":409,"message":"Email already exists"}`, with its status. */
export const error = <Status extends number>(status: Status, message: string): { status: Status; body: components['schemas']['Error'] } => ({
  status,
  body: { status, message },
});

/** Frozen: the server checks a constant answer against the spec once (see http.ts). */
export const SUCCESS: Readonly<components['schemas']['OperationResult']> = Object.freeze({ result: 'SUCCESS', details: Object.freeze({}), errorDetails: null });

export const CONFLICT = 'Email already exists';
