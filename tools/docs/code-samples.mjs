// @ts-check
// The code samples of the reference docs, per operation: a TypeScript one read from the package's example
// file (packages/<api>/examples/<operationId>.ts, type-checked by `npm test`), and a curl one generated from
// the spec (server, method, path, auth header, query parameters' examples, the request body's first example).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../apis.mjs';
import { deref } from '../testing/spec.mjs';

/** What Redoc is told to show, in this order (its `codeSamples.languages` option). */
export const SAMPLE_LANGUAGES = [
  { lang: 'TypeScript', label: 'TypeScript' },
  { lang: 'curl', label: 'curl' },
];

/**
 * @typedef {object} CodeSample  one entry of an operation's `x-codeSamples`
 * @property {string} lang
 * @property {string} label
 * @property {string} source
 *
 * @typedef {ReturnType<typeof import('../testing/spec.mjs').specOperations>[number]} OperationRef
 */

/** @param {string} packageDir @returns {string} */
export function examplesDirOf(packageDir) {
  return join(packageDir, 'examples');
}

/**
 * Reads the TypeScript example of every operation. Fails, naming the files, when an operation has none or an
 * example matches no operation (renamed or removed), and when an example does not import the package by
 * its public name (`@techapi/<api>`), since readers copy it as is.
 * @param {{ name: string, packageDir: string }} api
 * @param {string[]} operationIds
 * @returns {Map<string, string>} source by operationId
 */
export function readTypeScriptExamples(api, operationIds) {
  const dir = examplesDirOf(api.packageDir);
  const files = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.ts')) : [];
  const problems = [];
  /** @type {Map<string, string>} */
  const sources = new Map();
  for (const operationId of operationIds) {
    const file = join(dir, `${operationId}.ts`);
    if (!files.includes(`${operationId}.ts`)) {
      problems.push(`${relative(repoRoot, file)} is missing: every operation needs a TypeScript example`);
      continue;
    }
    const source = readFileSync(file, 'utf8').trim();
    if (!source.includes(`from '@techapi/${api.name}'`)) {
      problems.push(`${relative(repoRoot, file)} must import the client from '@techapi/${api.name}', as a user would`);
    }
    if (/from\s+['"]\.{1,2}\//.test(source)) {
      problems.push(`${relative(repoRoot, file)} imports a relative path: a reader cannot run that`);
    }
    sources.set(operationId, source);
  }
  for (const file of files) {
    if (!operationIds.includes(file.slice(0, -'.ts'.length))) {
      problems.push(`${relative(repoRoot, join(dir, file))} matches no operationId of the ${api.name} spec`);
    }
  }
  if (problems.length > 0) throw new Error(`Docs code samples of ${api.name}:\n- ${problems.join('\n- ')}`);
  return sources;
}

/**
 * A curl command for one operation, from the spec alone.
 * @param {any} spec the bundled spec
 * @param {OperationRef} ref
 * @returns {string}
 */
export function curlSample(spec, { path, method, pathItem, operation, parameters }) {
  const query = [];
  const headers = [];
  let resolvedPath = path;
  for (const parameter of parameters) {
    const example = parameterExample(spec, parameter);
    if (parameter.in === 'path') {
      resolvedPath = resolvedPath.replace(`{${parameter.name}}`, example === undefined ? `{${parameter.name}}` : encodeValue(example));
    } else if (example === undefined && !parameter.required) {
      continue; // an optional parameter the spec gives no example of: leave it out
    } else if (parameter.in === 'query') {
      query.push(`${encodeURIComponent(parameter.name)}=${example === undefined ? `<${parameter.name}>` : encodeValue(example)}`);
    } else if (parameter.in === 'header') {
      headers.push(singleQuoted(`${parameter.name}: ${example ?? `<${parameter.name}>`}`));
    }
  }
  const auth = authArguments(spec, operation, query);
  const url = serverUrl(spec, operation, pathItem) + resolvedPath + (query.length > 0 ? `?${query.join('&')}` : '');

  const lines = [`curl -X ${method} ${singleQuoted(url)}`];
  for (const argument of auth) lines.push(`  ${argument}`);
  for (const header of headers) lines.push(`  -H ${header}`);
  const body = requestBodyExample(spec, operation);
  if (body) {
    lines.push(`  -H ${singleQuoted(`Content-Type: ${body.mediaType}`)}`);
    const text = typeof body.value === 'string' ? body.value : JSON.stringify(body.value, null, 2);
    lines.push(`  -d ${singleQuoted(text)}`);
  }
  return lines.join(' \\\n');
}

/** @param {any} spec @param {any} parameter @returns {unknown} */
function parameterExample(spec, parameter) {
  if (parameter.example !== undefined) return parameter.example;
  const named = Object.values(parameter.examples ?? {})[0];
  if (named !== undefined) return deref(spec, named).value;
  const schema = deref(spec, parameter.schema) ?? {};
  return schema.examples?.[0] ?? schema.example ?? schema.default;
}

/** Percent-encodes a value as openapi-fetch does, but keeps `@` readable (RFC 3986 allows it there). @param {unknown} value */
function encodeValue(value) {
  return encodeURIComponent(String(value)).replaceAll('%40', '@');
}

/** The first server of the operation (or path, or spec), its variables set to their defaults. @param {any} spec @param {any} operation @param {any} pathItem */
function serverUrl(spec, operation, pathItem) {
  const server = (operation.servers ?? pathItem.servers ?? spec.servers ?? [{ url: '' }])[0];
  return String(server.url)
    .replace(/\{([^}]+)\}/g, (/** @type {string} */ whole, /** @type {string} */ name) => server.variables?.[name]?.default ?? whole)
    .replace(/\/$/, '');
}

/**
 * The curl arguments for the operation's first security requirement (`security: []` needs none). The secret
 * is a shell variable named after the scheme (integrationKey → $INTEGRATION_KEY). When the scheme's
 * description shows the header's form (`Authorization: INTEGRATION-KEY <key>`), that prefix is kept.
 * @param {any} spec @param {any} operation @param {string[]} query  receives an apiKey sent in the query
 * @returns {string[]}
 */
function authArguments(spec, operation, query) {
  const requirement = (operation.security ?? spec.security ?? [])[0] ?? {};
  const argumentsList = [];
  for (const schemeName of Object.keys(requirement)) {
    const scheme = deref(spec, spec.components?.securitySchemes?.[schemeName]);
    const variable = `$${schemeName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`;
    if (scheme?.type === 'apiKey') {
      const value = `${documentedPrefix(scheme)}${variable}`;
      if (scheme.in === 'header') argumentsList.push(`-H ${doubleQuoted(`${scheme.name}: ${value}`)}`);
      else if (scheme.in === 'query') query.push(`${encodeURIComponent(scheme.name)}=${value}`);
      else if (scheme.in === 'cookie') argumentsList.push(`-b ${doubleQuoted(`${scheme.name}=${value}`)}`);
    } else if (scheme?.type === 'http' && String(scheme.scheme).toLowerCase() === 'basic') {
      argumentsList.push(`-u ${doubleQuoted('$USERNAME:$PASSWORD')}`);
    } else if (scheme?.type === 'http' || scheme?.type === 'oauth2' || scheme?.type === 'openIdConnect') {
      argumentsList.push(`-H ${doubleQuoted(`Authorization: Bearer ${variable}`)}`);
    }
  }
  return argumentsList;
}

/** `INTEGRATION-KEY ` when the description shows `` `Authorization: INTEGRATION-KEY <key>` ``, else ''. @param {any} scheme */
function documentedPrefix(scheme) {
  const escaped = String(scheme.name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const form = new RegExp(`\`${escaped}:\\s*([^\`<]*)<[^>\`]+>\``, 'i').exec(scheme.description ?? '');
  return form?.[1] ?? '';
}

/** The request body's first example: the first of `examples`, else `example`, else the schema's. @param {any} spec @param {any} operation */
function requestBodyExample(spec, operation) {
  const requestBody = deref(spec, operation.requestBody);
  const [mediaType, media] = Object.entries(requestBody?.content ?? {})[0] ?? [];
  if (!mediaType || !media) return undefined;
  const named = Object.values(media.examples ?? {})[0];
  const schema = deref(spec, media.schema) ?? {};
  const value = named !== undefined ? deref(spec, named).value : (media.example ?? schema.examples?.[0] ?? schema.example);
  return value === undefined ? undefined : { mediaType, value };
}

/** @param {string} text */
function singleQuoted(text) {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** For values holding a shell variable, which must expand. @param {string} text */
function doubleQuoted(text) {
  return `"${text.replace(/["\\`]/g, '\\$&')}"`;
}
