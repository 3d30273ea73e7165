// @ts-check
// The one walk over a bundled spec's operations, and local `$ref` resolution: what the validator needs,
// and what the repo's spec readers (tools/testing/spec.mjs) build on.

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Resolves a local `$ref` (`#/components/...`) of `spec`, repeatedly. @param {any} spec @param {any} node */
export function deref(spec, node) {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce((/** @type {any} */ at, /** @type {string} */ key) => at[key.replaceAll('~1', '/').replaceAll('~0', '~')], spec);
  }
  return current;
}

/**
 * Every operation of a spec, in the spec's order: the one walk over `paths` that every test tool builds on.
 * @param {any} spec
 * @returns {{ operationId: string, method: string, path: string, pathItem: any, operation: any, parameters: any[] }[]}
 *   method in upper case; parameters are the path item's and the operation's, dereferenced, the operation's winning
 */
export function specOperations(spec) {
  return Object.entries(spec.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const operation = item[method];
      /** @type {Map<string, any>} */
      const parameters = new Map();
      for (const ref of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
        const parameter = deref(spec, ref);
        parameters.set(`${parameter.in}:${parameter.name}`, parameter);
      }
      return { operationId: operation.operationId, method: method.toUpperCase(), path, pathItem: item, operation, parameters: [...parameters.values()] };
    }),
  );
}
