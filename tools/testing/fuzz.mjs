// @ts-check
// Property-based inputs built from the spec's schemas (fast-check): valid requests of an operation, and
// requests made invalid in one place by a known mutation (a required field dropped, a wrong type, a bad
// e-mail or date, a string over its limit...). Seeded, so every run is the same run; FUZZ_RUNS raises the
// number of runs for a longer search, FUZZ_SEED picks another sequence.
import fc from 'fast-check';
import { deref } from './spec.mjs';

/** Runs per property (each operation has a valid and an invalid property). */
export const FUZZ_RUNS = positiveInteger(process.env.FUZZ_RUNS, 150);
export const FUZZ_SEED = positiveInteger(process.env.FUZZ_SEED, 20250423);

/** @param {string | undefined} text @param {number} fallback */
function positiveInteger(text, fallback) {
  const value = Number(text);
  return text && Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * @typedef {import('./scenarios.mjs').SpecRequest} SpecRequest
 * @typedef {import('@techapi/openapi-validator').SpecOperation} SpecOperation
 * @typedef {{ request: SpecRequest, mutation: string }} InvalidRequest
 * @typedef {(string | number)[]} Pointer  keys from the body (or a parameter) down to a value
 * @typedef {{ where: 'body' | 'path' | 'query', pointer: Pointer, describe: string, apply: fc.Arbitrary<(value: any) => any> }} Site
 */

const BAD_EMAILS = ['plainaddress', 'john.doe@', '@example.com', 'john doe@example.com', 'john;doe@example.com', 'a@b@example.com', 'john.doe@exam_ple.com'];
const BAD_DATES = ['2026-02-30', '2026-13-01', '31/12/2026', '2026-1-1', '20261231', 'demain'];
const BAD_DATE_TIMES = ['2025-04-23', '2025-04-23 07:34:29', 'hier', '2025-04-23T25:00:00Z'];
/** Strings that stress encodings without breaking any rule: accents, CJK, emoji, bidi controls, JSON and URL syntax. */
const AWKWARD_CHARS = ['é', 'ß', '漢', '😀', '\u202e', '\u0000', '"', '\\', '%', '&', '=', '?', '#', '/', ';', '+', ' '];

/** @param {any} schema @returns {string[]} */
function typesOf(schema) {
  if (Array.isArray(schema.type)) return schema.type;
  return schema.type ? [schema.type] : [];
}

/**
 * Valid values of a schema of `spec`.
 * @param {any} spec @param {any} schemaRef @returns {fc.Arbitrary<any>}
 */
export function valueArbitrary(spec, schemaRef) {
  const schema = deref(spec, schemaRef) ?? {};
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((/** @type {any} */ branch) => valueArbitrary(spec, branch)));
  if (schema.oneOf || schema.allOf || schema.not) throw new Error(`fuzz: oneOf/allOf/not are not supported yet (${JSON.stringify(schema).slice(0, 80)})`);
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => valueArbitrary(spec, { ...schema, type })));
  switch (types[0]) {
    case 'object':
      return objectArbitrary(spec, schema);
    case 'array':
      return fc.array(valueArbitrary(spec, schema.items ?? {}), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)),
      });
    case 'string':
      return stringArbitrary(schema);
    case 'integer': {
      // int64 values past 2^53 lose precision in JSON parsers (Prism refuses them): safe integers only.
      const [low, high] = schema.format === 'int32' ? [-(2 ** 31), 2 ** 31 - 1] : [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
      return fc.integer({ min: Math.max(schema.minimum ?? low, low), max: Math.min(schema.maximum ?? high, high) });
    }
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: schema.minimum, max: schema.maximum });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 }); // no type: any JSON value is valid
  }
}

/** @param {any} spec @param {any} schema */
function objectArbitrary(spec, schema) {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length === 0 && schema.additionalProperties) {
    const values = schema.additionalProperties === true ? fc.jsonValue({ maxDepth: 1 }) : valueArbitrary(spec, schema.additionalProperties);
    return fc.dictionary(fc.string({ maxLength: 10 }), values, { maxKeys: 3 });
  }
  /** @type {Record<string, fc.Arbitrary<any>>} */
  const arbitraries = {};
  for (const [name, property] of Object.entries(properties)) arbitraries[name] = valueArbitrary(spec, property);
  return fc.record(arbitraries, { requiredKeys: schema.required ?? [] });
}

/** @param {any} schema @returns {fc.Arbitrary<string>} */
function stringArbitrary(schema) {
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  const day = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'date') return day.map((date) => date.toISOString().slice(0, 10));
  if (schema.format === 'date-time') return day.map((date) => date.toISOString());
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? 5000;
  const short = Math.max(minLength, Math.min(maxLength, 24));
  /** @type {fc.WeightedArbitrary<string>[]} */
  const kinds = [
    { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength, maxLength: short }) },
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...AWKWARD_CHARS), minLength, maxLength: short }) },
  ];
  // Long strings where the schema sets no limit under them: a server must take what its contract allows.
  if (maxLength >= 1000) kinds.push({ weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: Math.max(minLength, 1000), maxLength: Math.min(maxLength, 5000) }) });
  return fc.oneof(...kinds);
}

/**
 * Valid spec-level requests of an operation: every path parameter, the query parameters (required
 * ones always), and the body when the operation takes one.
 * @param {any} spec @param {SpecOperation} operation @returns {fc.Arbitrary<SpecRequest>}
 */
export function requestArbitrary(spec, operation) {
  /** @param {'path' | 'query'} where */
  const parametersIn = (where) => {
    const parameters = operation.parameters.filter((parameter) => parameter.in === where);
    /** @type {Record<string, fc.Arbitrary<any>>} */
    const arbitraries = {};
    // Parameters travel in the URL, which servers cap (Node: 16 KiB of headers, then 431): short strings
    // there, and never empty in the query unless the parameter allows an empty value.
    for (const parameter of parameters) {
      const minLength = where === 'query' && !parameter.allowEmptyValue ? 1 : 0;
      arbitraries[parameter.name] = valueArbitrary(spec, textBounds(spec, parameter.schema ?? {}, minLength, 100));
    }
    const required = parameters.filter((parameter) => parameter.required || where === 'path').map((parameter) => parameter.name);
    return fc.record(arbitraries, { requiredKeys: required });
  };
  const requestBody = deref(spec, operation.operation.requestBody);
  const media = requestBody?.content?.['application/json'];
  if (requestBody && !media) throw new Error(`fuzz: ${operation.operationId} takes a body that is not application/json`);
  const body = media ? valueArbitrary(spec, media.schema ?? {}) : fc.constant(undefined);
  return fc.record({ path: parametersIn('path'), query: parametersIn('query'), body }).map((request) => {
    if (request.body === undefined) delete request.body;
    return request;
  });
}

/** A string schema with its length bounds tightened to `min`..`max`. @param {any} spec @param {any} schemaRef @param {number} min @param {number} max */
function textBounds(spec, schemaRef, min, max) {
  const schema = deref(spec, schemaRef) ?? {};
  if (!typesOf(schema).includes('string') || schema.format || schema.enum) return schema;
  return { ...schema, minLength: Math.max(schema.minLength ?? 0, min), maxLength: Math.min(schema.maxLength ?? Infinity, max) };
}

/**
 * Requests of an operation that each break the spec in one known way: a valid request, then one
 * mutation picked among those the schemas allow. Each says what it broke.
 * @param {any} spec @param {SpecOperation} operation @returns {fc.Arbitrary<InvalidRequest> | undefined}  undefined: nothing to break
 */
export function invalidRequestArbitrary(spec, operation) {
  /** @type {Site[]} */
  const sites = [];
  for (const parameter of operation.parameters) {
    if (parameter.in !== 'path' && parameter.in !== 'query') continue;
    const where = parameter.in;
    if (where === 'query' && parameter.required) {
      sites.push({ where, pointer: [parameter.name], describe: `query ${parameter.name} missing`, apply: fc.constant(() => DROP) });
    }
    // Prism takes an empty optional query value for an absent one: tried on required parameters only.
    if (where === 'query' && parameter.required && !parameter.allowEmptyValue) {
      sites.push({ where, pointer: [parameter.name], describe: `query ${parameter.name} empty`, apply: fc.constant(() => '') });
    }
    // A parameter travels as text: only values its text form cannot satisfy break it.
    for (const site of valueSites(spec, parameter.schema ?? {}, [parameter.name], { textual: true })) sites.push({ ...site, where });
  }
  const requestBody = deref(spec, operation.operation.requestBody);
  const schema = requestBody?.content?.['application/json']?.schema;
  if (schema) {
    if (requestBody.required) sites.push({ where: 'body', pointer: [], describe: 'body missing', apply: fc.constant(() => DROP) });
    for (const site of valueSites(spec, schema, [], { textual: false })) sites.push({ ...site, where: 'body' });
  }
  if (sites.length === 0) return undefined;
  return fc.tuple(requestArbitrary(spec, operation), fc.constantFrom(...sites)).chain(([request, site]) =>
    site.apply.map((change) => ({ request: mutate(request, site, change), mutation: site.describe })),
  );
}

const DROP = Symbol('drop');

/**
 * Where a value under `schema` can be broken, and how.
 * @param {any} spec @param {any} schemaRef @param {Pointer} pointer @param {{ textual: boolean }} options
 * @returns {Omit<Site, 'where'>[]}
 */
function valueSites(spec, schemaRef, pointer, { textual }) {
  const schema = deref(spec, schemaRef) ?? {};
  const at = pointer.length > 0 ? `/${pointer.join('/')}` : '(body)';
  /** @type {Omit<Site, 'where'>[]} */
  const sites = [];
  /** @param {string} describe @param {fc.Arbitrary<any>} values */
  const replace = (describe, values) => sites.push({ pointer, describe: `${at} ${describe}`, apply: values.map((value) => () => value) });

  const branches = schema.anyOf ?? [schema];
  const types = new Set(branches.flatMap((/** @type {any} */ branch) => typesOf(deref(spec, branch) ?? {})));
  if (types.size === 0) return sites; // any value is valid
  if (!textual) {
    /** @type {any[]} */
    const wrong = [];
    if (!types.has('string')) wrong.push('42', '');
    if (!types.has('integer') && !types.has('number')) wrong.push(42, -1.5);
    if (!types.has('boolean')) wrong.push(true);
    if (!types.has('object')) wrong.push({ unexpected: 'object' });
    if (!types.has('array')) wrong.push(['unexpected', 'array']);
    if (!types.has('null')) wrong.push(null);
    if (types.has('integer') && !types.has('number')) wrong.push(1.5);
    replace(`wrong type`, fc.constantFrom(...wrong));
  } else if (types.has('integer') || types.has('number')) {
    // Not '0x1F': Prism reads it as 31 (the validator, as decimal text only, refuses it).
    replace('not a number', fc.constantFrom('abc', '1.5e', 'NaN', '1,5', '12abc').filter((text) => !(types.has('number') && Number.isFinite(Number(text)))));
  }
  if (schema.anyOf) return sites;

  if (types.has('string')) {
    if (schema.format === 'email') replace('bad e-mail', fc.constantFrom(...BAD_EMAILS));
    if (schema.format === 'date') replace('bad date', fc.constantFrom(...BAD_DATES));
    if (schema.format === 'date-time') replace('bad date-time', fc.constantFrom(...BAD_DATE_TIMES));
    if (schema.enum) replace('not in the enum', fc.string({ minLength: 1, maxLength: 12 }).filter((value) => !schema.enum.includes(value)));
    if (schema.maxLength !== undefined) {
      replace(`longer than ${schema.maxLength}`, fc.string({ unit: 'binary', minLength: schema.maxLength + 1, maxLength: schema.maxLength + 50 }));
    }
    if (schema.minLength !== undefined && schema.minLength > 0 && !(textual && schema.minLength === 1)) {
      // Prism lets an empty query value through whatever its minLength (see toolchain-facts.md): not tried there.
      replace(`shorter than ${schema.minLength}`, fc.string({ maxLength: schema.minLength - 1 }));
    }
  }
  if ((types.has('integer') || types.has('number')) && !textual) {
    if (schema.format === 'int32') replace('beyond int32', fc.constantFrom(2 ** 31, -(2 ** 31) - 1));
    // 2^63 itself reads as int64's maximum once a double (Ajv accepts it, Prism caps int64 at 2^53 - 1): go well past.
    if (schema.format === 'int64' || (types.has('integer') && !schema.format)) replace('beyond int64 (as a JSON number)', fc.constantFrom(2 ** 64, -(2 ** 65)));
  }
  if (types.has('array') && !textual) {
    if (schema.minItems) replace(`fewer than ${schema.minItems} items`, fc.constant([]));
    sites.push(...valueSites(spec, schema.items ?? {}, [...pointer, 0], { textual }));
  }
  if (types.has('object') && !textual) {
    for (const name of schema.required ?? []) {
      sites.push({ pointer: [...pointer, name], describe: `/${[...pointer, name].join('/')} missing (required)`, apply: fc.constant(() => DROP) });
    }
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      sites.push(...valueSites(spec, property, [...pointer, name], { textual }));
    }
  }
  return sites;
}

/**
 * A copy of `request` with the value at the site replaced (or dropped), creating the objects and arrays
 * on the way when the valid request left them out.
 * @param {SpecRequest} request @param {Site} site @param {(value: any) => any} change @returns {SpecRequest}
 */
function mutate(request, site, change) {
  const copy = structuredClone(request);
  /** @type {any} */
  let holder = site.where === 'body' ? copy : copy[site.where];
  const keys = site.where === 'body' ? ['body', ...site.pointer] : site.pointer;
  for (const [index, key] of keys.slice(0, -1).entries()) {
    const next = keys[index + 1];
    if (holder[key] === undefined || holder[key] === null || typeof holder[key] !== 'object') holder[key] = typeof next === 'number' ? [] : {};
    holder = holder[key];
  }
  const last = /** @type {string | number} */ (keys[keys.length - 1]);
  const value = change(holder[last]);
  if (value === DROP) delete holder[last];
  else holder[last] = value;
  return copy;
}
