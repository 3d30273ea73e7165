export { DEFAULT_MAX_BODY_BYTES, ResponseBodyError } from './body.js';
export { checkInput, InputError, jsonBody, notScalar, pathParam, refusal, scalarQuery, toJson } from './input.js';
export { messageOf, redact, redactBody, type ApiError, type ApiErrorKind, type ApiResult } from './errors.js';
export { DEFAULT_RETRY, isIdempotent, retryAfterMs, type RetryOptions } from './retry.js';
export {
  createRuntime,
  DEFAULT_TIMEOUT_MS,
  toResult,
  type AttemptInit,
  type CallOptions,
  type CallSpec,
  type ClientRuntimeOptions,
  type FetchOutcome,
  type Runtime,
} from './runtime.js';
export { fetchTransport, TransportUnavailableError, WireRequest, WireRequestClass, type SendOptions, type Transport } from './transport.js';
export type { ErrorStatus, SuccessBody } from './types.js';
