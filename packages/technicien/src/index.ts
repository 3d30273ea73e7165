// The portable entry (browsers, workers, any runtime with fetch). Node resolves ./node.ts instead, which
// adds a transport for updateTechnicien's GET with a body.
export {
  createTechnicienClient,
  type AuthenticationResult,
  type CallOptions,
  type Credentials,
  type GrantClientAccessInput,
  type Technicien,
  type TechnicienClient,
  type TechnicienClientOptions,
  type TokenOptions,
  type UpdateTechnicienOptions,
} from './client.js';
export { TOKEN_LIFETIME_MS } from './token-session.js';
export type { ApiError, ApiErrorKind, ApiResult, RetryOptions, Transport } from '@techapi/client-core';
export type { components, operations, paths } from './generated/openapi.js';
export { SPEC_VERSION } from './generated/spec-version.js';
