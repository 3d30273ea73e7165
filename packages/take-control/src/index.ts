// The portable entry (browsers, workers, any runtime with fetch). Node also offers ./node.ts.
export {
  createTakeControlClient,
  type BulkCreateResult,
  type BulkTechnicianResult,
  type ErrorBody,
  type OperationResult,
  type TakeControlClient,
  type TakeControlClientOptions,
  type TechnicianCreate,
  type TechnicianStatus,
} from './client.js';
export {
  DEFAULT_BATCH_SIZE,
  type BulkCreateOptions,
  type BulkCreateReport,
  type BulkProgress,
  type FailedTechnician,
  type TechnicianOutcome,
} from './bulk.js';
export type {
  ApiError,
  ApiErrorKind,
  ApiResult,
  CallOptions,
  RetryOptions,
  Transport,
} from '@techapi/client-core';
export type { components, operations, paths } from './generated/openapi.js';
export { SPEC_VERSION } from './generated/spec-version.js';
