// Take Control's spec as types: the ones openapi-typescript generates and @techapi/take-control publishes,
// read from the client's source. Type-only, so nothing of it is in the JS, and tsup inlines it into the
// sandbox's declarations, which stay self-contained. A relative path, not the package's name: the name
// resolves to the client's dist/, which every program reading the sandbox's source (the root typecheck
// does, through tools/bench-sandbox.mjs) would then need built first.
export type { components, operations, paths } from '../../../take-control/src/generated/openapi.js';
