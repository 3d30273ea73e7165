export {
  createTakeControlClient,
  type BulkCreateResult,
  type CallOptions,
  type ErrorBody,
  type OperationResult,
  type TakeControlClient,
  type TakeControlClientOptions,
  type TechnicianCreate,
  type TechnicianStatus,
} from './client.js';
export type { ApiError, ApiErrorKind, ApiResult } from '@techapi/client-core';
export type { components, operations, paths } from './generated/openapi.js';
