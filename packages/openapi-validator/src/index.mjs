// @ts-check
// The contract validator, shared: the contract tests and tools (tools/testing, tools/verify.mjs) import it
// from here, and @techapi/sandbox bundles it to check every answer it gives. Plain ESM with JSDoc types,
// so that the repo's scripts run it without a build.
export { createSpecValidator, documentedStatusKey, formatViolation, listSpecOperations } from './validator.mjs';
export { deref, specOperations } from './spec.mjs';

/**
 * @typedef {import('./validator.mjs').Violation} Violation
 * @typedef {import('./validator.mjs').SpecOperation} SpecOperation
 * @typedef {import('./validator.mjs').SpecValidator} SpecValidator
 * @typedef {import('./validator.mjs').HttpRequestData} HttpRequestData
 * @typedef {import('./validator.mjs').HttpResponseData} HttpResponseData
 */
