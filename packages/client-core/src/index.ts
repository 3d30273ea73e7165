export { messageOf, redact, type ApiError, type ApiErrorKind } from './errors.js';
export { toResult, type ApiResult, type FetchOutcome } from './result.js';
export type { ErrorStatus, SuccessBody } from './types.js';
