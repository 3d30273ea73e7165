export { messageOf, redact, type ApiError, type ApiErrorKind } from './errors.js';
export { toResult, type ApiResult, type FetchOutcome } from './result.js';
export { WireRequest, WireRequestClass, type Transport } from './transport.js';
export type { ErrorStatus, SuccessBody } from './types.js';
