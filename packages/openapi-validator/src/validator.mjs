// @ts-check
// Checks HTTP exchanges against a bundled OpenAPI 3.1 spec with a real JSON Schema validator (Ajv, draft
// 2020-12, the dialect of OpenAPI 3.1), independently of Prism: the operation a request is for, its
// security header, parameters and body; then the response's status, headers, media type and body.
// Every finding is a Violation naming the operation, the part of the message and the field.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { deref, specOperations } from './spec.mjs';

/** Where the spec's component schemas live for Ajv; every `#/components/schemas/X` ref is rewritten to it. */
const COMPONENTS_ID = 'https://contract.invalid/components.json';
/** OpenAPI's own schema keywords beside JSON Schema's: annotations, nothing to enforce. */
const OPENAPI_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'];

/**
 * @typedef {object} Violation
 * @property {string} operationId  `(none)` when no operation of the spec matches the request
 * @property {'request' | 'response'} direction
 * @property {string} location  body, query, path, header, security, status, content-type
 * @property {string} field     the parameter or header name, or a JSON pointer into the body ('' for the whole)
 * @property {string} message
 * @property {'validator' | 'prism'} [source]  who found it; absent means this validator
 * @property {string} [keyword]  for a schema finding, the JSON Schema keyword that failed (Ajv's), so a caller
 *   can word it its own way without parsing `message`
 * @property {Record<string, any>} [params]  that keyword's details, as Ajv gives them (`{ limit: 1 }`, `{ format: 'email' }`)
 *
 * @typedef {Pick<Headers, 'get' | 'has'>} HeaderReader  a Headers, or any reader of header values by name
 *
 * @typedef {object} HttpRequestData
 * @property {string} method
 * @property {string} url       absolute
 * @property {HeaderReader} headers
 * @property {string | undefined} body
 * @property {unknown} [json]   the body already parsed (a server that parsed it once), instead of parsing `body` again
 *
 * @typedef {object} HttpResponseData
 * @property {number} status
 * @property {HeaderReader} headers
 * @property {string} body
 * @property {unknown} [json]   the body as the value it was serialized from, instead of parsing `body` again
 *
 * @typedef {object} SpecOperation
 * @property {string} operationId
 * @property {string} method  upper case
 * @property {string} path    the path template
 * @property {any} operation
 * @property {any[]} parameters  path-item and operation parameters, dereferenced, the operation's winning
 * @property {RegExp} pattern    matches the end of a request's pathname; its groups are the path parameters
 * @property {string[]} pathParameterNames
 */

/** @param {Violation} violation */
export function formatViolation(violation) {
  const field = violation.field ? ` ${violation.field}` : '';
  const source = violation.source === 'prism' ? ' [prism]' : '';
  return `${violation.operationId} ${violation.direction} ${violation.location}${field}: ${violation.message}${source}`;
}

/**
 * @param {any} spec  a bundled OpenAPI 3.1 document (dist/specs/<api>.json)
 */
export function createSpecValidator(spec) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  // ajv-formats takes any integer as int64; int64 ends at 2^63 (as doubles, past it is out of range).
  ajv.addFormat('int64', { type: 'number', validate: (value) => Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63 });
  for (const keyword of [...OPENAPI_KEYWORDS, ...extensionKeywords(spec)]) ajv.addKeyword({ keyword });
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: rewriteRefs(spec.components?.schemas ?? {}) });

  /** @type {Map<any, import('ajv').ValidateFunction>} */
  const compiled = new Map();
  /** @param {any} schema */
  const validatorFor = (schema) => {
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(rewriteRefs(schema));
      compiled.set(schema, validate);
    }
    return validate;
  };

  const operations = listSpecOperations(spec);
  /** Each content map's media types by their essence, computed once: a server checks every message. @type {WeakMap<object, Map<string, string>>} */
  const mediaKeys = new WeakMap();

  /** @param {string} method @param {string} pathname @returns {{ operation: SpecOperation, pathParams: Record<string, string> } | undefined} */
  function findOperation(method, pathname) {
    const upper = method.toUpperCase();
    for (const operation of operations) {
      if (operation.method !== upper) continue;
      const match = operation.pattern.exec(pathname);
      if (!match) continue;
      /** @type {Record<string, string>} */
      const pathParams = {};
      for (let index = 0; index < operation.pathParameterNames.length; index++) {
        pathParams[/** @type {string} */ (operation.pathParameterNames[index])] = safeDecode(match[index + 1] ?? '');
      }
      return { operation, pathParams };
    }
    return undefined;
  }

  /**
   * Validates `value` against `schema`; each Ajv error becomes a violation at `field` + its instance path.
   * @param {any} schema @param {unknown} value @param {Omit<Violation, 'message' | 'field'>} where @param {string} [field]
   * @returns {Violation[]}
   */
  function check(schema, value, where, field = '') {
    const validate = validatorFor(schema);
    if (validate(value)) return NO_VIOLATIONS;
    /** @type {Map<string, Violation>} */
    const unique = new Map(); // anyOf branches repeat the same finding
    for (const error of validate.errors ?? []) {
      const missing = error.keyword === 'required' ? `/${error.params.missingProperty}` : '';
      const extra = error.keyword === 'additionalProperties' ? `/${error.params.additionalProperty}` : '';
      const violation = {
        ...where,
        field: `${field}${error.instancePath}${missing}${extra}`,
        message: error.message ?? error.keyword,
        keyword: error.keyword,
        params: error.params,
      };
      unique.set(`${violation.field}\n${violation.message}`, violation);
    }
    return [...unique.values()];
  }

  /**
   * @param {HttpRequestData} request
   * @returns {{ operation?: SpecOperation, pathParams?: Record<string, string>, query: URLSearchParams, allowedMethods?: string[], violations: Violation[] }}
   *   `query`: the URL's, parsed once here for the caller too; `allowedMethods`: when no operation matches, the
   *   methods the spec documents for that path (none: an unknown path), e.g. for a 405's `Allow`
   */
  function checkRequest(request) {
    const url = parseUrl(request.url);
    const found = findOperation(request.method, url.pathname);
    if (!found) {
      return {
        query: url.searchParams,
        allowedMethods: operations.filter((operation) => operation.pattern.test(url.pathname)).map((operation) => operation.method),
        violations: [
          {
            operationId: '(none)',
            direction: 'request',
            location: 'path',
            field: url.pathname,
            message: `no operation of the spec is ${request.method.toUpperCase()} ${url.pathname}`,
          },
        ],
      };
    }
    const { operation, pathParams } = found;
    const base = { operationId: operation.operationId, direction: /** @type {const} */ ('request') };
    /** @type {Violation[]} */
    const violations = [];

    // Security: one of the alternatives must be fully present (values are the server's business).
    const requirements = operation.operation.security ?? spec.security ?? [];
    if (requirements.length > 0) {
      const satisfied = requirements.some((/** @type {Record<string, unknown>} */ requirement) =>
        Object.keys(requirement).every((name) => credentialPresent(spec.components?.securitySchemes?.[name], request.headers, url)),
      );
      if (!satisfied) {
        const names = requirements.map((/** @type {object} */ requirement) => Object.keys(requirement).map((name) => credentialName(spec, name)).join(' + '));
        violations.push({ ...base, location: 'security', field: names.join(' | '), message: 'the credential is missing' });
      }
    }

    for (const parameter of operation.parameters) {
      const where = { ...base, location: parameter.in };
      const raw =
        parameter.in === 'path'
          ? pathParams[parameter.name]
          : parameter.in === 'query'
            ? queryValue(url.searchParams, parameter)
            : parameter.in === 'header'
              ? request.headers.get(parameter.name) ?? undefined
              : undefined; // cookies: neither API uses them
      if (raw === undefined) {
        if (parameter.required) violations.push({ ...where, field: parameter.name, message: 'is required' });
        continue;
      }
      if (raw === '' && parameter.in === 'query' && !parameter.allowEmptyValue) {
        // OpenAPI: an empty query value is allowed only with `allowEmptyValue` (Prism agrees).
        violations.push({ ...where, field: parameter.name, message: 'is empty, and the parameter does not allow an empty value' });
        continue;
      }
      const schema = parameter.schema ?? {};
      violations.push(...check(schema, coerce(spec, schema, raw), where, parameter.name));
    }

    const requestBody = deref(spec, operation.operation.requestBody);
    const hasBody = request.body !== undefined && request.body !== '';
    const where = { ...base, location: 'body' };
    if (!requestBody) {
      if (hasBody) violations.push({ ...where, field: '', message: 'the operation takes no body, one was sent' });
    } else if (!hasBody) {
      if (requestBody.required) violations.push({ ...where, field: '', message: 'a body is required' });
    } else {
      violations.push(...checkContent(requestBody.content, request.headers, /** @type {string} */ (request.body), where, request.json));
    }
    return { operation, pathParams, query: url.searchParams, violations };
  }

  /**
   * @param {SpecOperation} operation @param {HttpResponseData} response
   * @returns {Violation[]}
   */
  function checkResponse(operation, response) {
    const base = { operationId: operation.operationId, direction: /** @type {const} */ ('response') };
    const responses = operation.operation.responses ?? {};
    const key = documentedStatusKey(responses, response.status);
    if (key === undefined) {
      return [
        {
          ...base,
          location: 'status',
          field: String(response.status),
          message: `${response.status} is not documented (documented: ${Object.keys(responses).join(', ')})`,
        },
      ];
    }
    const documented = deref(spec, responses[key]);
    /** @type {Violation[]} */
    const violations = [];
    for (const [name, headerRef] of Object.entries(documented.headers ?? {})) {
      const header = deref(spec, headerRef);
      const value = response.headers.get(name);
      const where = { ...base, location: 'header' };
      if (value === null) {
        if (header.required) violations.push({ ...where, field: name, message: 'is required' });
        continue;
      }
      const schema = header.schema ?? {};
      violations.push(...check(schema, coerce(spec, schema, value), where, name));
    }
    const where = { ...base, location: 'body' };
    if (!documented.content) {
      if (response.body !== '') violations.push({ ...where, field: '', message: `status ${response.status} documents no body, one was sent` });
    } else if (response.body === '') {
      violations.push({ ...where, field: '', message: `status ${response.status} documents a body, none was sent` });
    } else {
      violations.push(...checkContent(documented.content, response.headers, response.body, where, response.json));
    }
    return violations;
  }

  /**
   * The media type of a message must be documented; a JSON one must parse and match its schema.
   * @param {Record<string, any>} content @param {HeaderReader} headers @param {string} body @param {Omit<Violation, 'message' | 'field'>} where
   * @param {unknown} [parsed]  `body` already parsed
   * @returns {Violation[]}
   */
  function checkContent(content, headers, body, where, parsed) {
    const contentType = headers.get('content-type') ?? '';
    const essence = mediaEssence(contentType);
    let keys = mediaKeys.get(content);
    if (!keys) {
      keys = new Map(Object.keys(content).map((key) => [mediaEssence(key), key]));
      mediaKeys.set(content, keys);
    }
    const mediaKey = keys.get(essence);
    if (mediaKey === undefined) {
      return [
        {
          ...where,
          location: 'content-type',
          field: '',
          message: `"${contentType || '(none)'}" is not documented (documented: ${Object.keys(content).join(', ')})`,
        },
      ];
    }
    const media = content[mediaKey];
    if (!isJson(essence) || !media.schema) return [];
    let value = parsed;
    if (value === undefined) {
      try {
        value = JSON.parse(body);
      } catch {
        return [{ ...where, field: '', message: 'is not valid JSON' }];
      }
    }
    return check(media.schema, value, where);
  }

  return {
    operations,
    findOperation,
    checkRequest,
    checkResponse,
    /** Validates a value against a schema of the spec (refs resolved), e.g. to tell a fuzzer's valid input from invalid. */
    validate: (/** @type {any} */ schema, /** @type {unknown} */ value) => [...check(schema, value, { operationId: '', direction: 'request', location: 'body' })],
  };
}

/** @typedef {ReturnType<typeof createSpecValidator>} SpecValidator */

/** @param {any} spec @returns {SpecOperation[]} concrete paths first, so `/tech/bulk` wins over `/tech/{techUsername}` */
export function listSpecOperations(spec) {
  /** @type {SpecOperation[]} */
  const operations = specOperations(spec).map((operation) => {
    const pathParameterNames = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => /** @type {string} */ (match[1]));
    const source = operation.path
      .split(/\{[^}]+\}/)
      .map((literal) => literal.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
      .join('([^/]+)');
    // Any prefix: a server's base path (`/ocean`, `/rest`) comes before the spec's paths.
    return { ...operation, pattern: new RegExp(`${source}/?$`), pathParameterNames };
  });
  return operations.sort((a, b) => a.pathParameterNames.length - b.pathParameterNames.length || b.path.length - a.path.length);
}

/** The documented response key for a status: exact, then its range (`4XX`), then `default`. @param {Record<string, unknown>} responses @param {number} status */
export function documentedStatusKey(responses, status) {
  if (String(status) in responses) return String(status);
  const range = `${String(status)[0]}XX`;
  if (range in responses) return range;
  if ('default' in responses) return 'default';
  return undefined;
}

/** @param {any} scheme @param {HeaderReader} headers @param {{ searchParams: URLSearchParams }} url */
function credentialPresent(scheme, headers, url) {
  if (!scheme) return false;
  if (scheme.type === 'apiKey' && scheme.in === 'header') return headers.has(scheme.name);
  if (scheme.type === 'apiKey' && scheme.in === 'query') return url.searchParams.has(scheme.name);
  if (scheme.type === 'http') return headers.has('authorization');
  return true; // cookies, OAuth flows: not used by these APIs, not checked
}

/** @param {any} spec @param {string} name */
function credentialName(spec, name) {
  const scheme = spec.components?.securitySchemes?.[name];
  return scheme?.type === 'apiKey' ? `${scheme.in} ${scheme.name}` : name;
}

/** A query parameter's raw value: repeated names (`form`, `explode`) make an array when the schema wants one. @param {URLSearchParams} params @param {any} parameter */
function queryValue(params, parameter) {
  if (!params.has(parameter.name)) return undefined;
  const values = params.getAll(parameter.name);
  return parameter.schema?.type === 'array' ? values : values[0];
}

/**
 * Turns the text a parameter or header travels as into the JSON value its schema describes, leaving
 * anything that does not convert cleanly as text so that the schema rejects it.
 * @param {any} spec @param {any} schemaRef @param {string | string[]} raw @returns {unknown}
 */
function coerce(spec, schemaRef, raw) {
  const schema = deref(spec, schemaRef) ?? {};
  if (Array.isArray(raw)) {
    const items = schema.items ?? {};
    return raw.flatMap((value) => value.split(',')).map((value) => coerce(spec, items, value));
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('integer') && /^-?\d+$/.test(raw)) return Number(raw);
  if (types.includes('number') && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  if (types.includes('boolean') && (raw === 'true' || raw === 'false')) return raw === 'true';
  if (types.includes('array')) return raw === '' ? [] : raw.split(',').map((value) => coerce(spec, schema.items ?? {}, value));
  return raw;
}

/**
 * Plain absolute URLs: a path of printable ASCII without query, fragment, escape or backslash (and, checked
 * apart, no dot segment), where the URL parser would change nothing that matters once segments are decoded.
 */
const PLAIN_URL = /^https?:\/\/[^/?#\\\s]+(\/[\x21-\x22\x24\x26-\x3e\x40-\x5b\x5d-\x7e]*)?$/i;

/**
 * The pathname and query of an absolute URL. A plain one (a server's most common request) is split
 * without the URL parser, which costs a server more than the rest of a request's check.
 * @param {string} url @returns {{ pathname: string, readonly searchParams: URLSearchParams }}
 */
function parseUrl(url) {
  const plain = PLAIN_URL.exec(url);
  if (!plain || url.includes('/.')) return new URL(url);
  return { pathname: plain[1] || '/', searchParams: new URLSearchParams() };
}

/** Checked in the hot path of a server: a shared empty result allocates nothing. @type {Violation[]} */
const NO_VIOLATIONS = /** @type {Violation[]} */ (/** @type {unknown} */ (Object.freeze([])));

/** @param {string} contentType */
function mediaEssence(contentType) {
  if (contentType === 'application/json') return contentType;
  const end = contentType.indexOf(';');
  return (end === -1 ? contentType : contentType.slice(0, end)).trim().toLowerCase();
}

/** @param {string} essence */
function isJson(essence) {
  return essence === 'application/json' || essence.endsWith('+json');
}

/** @param {string} text */
function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A deep copy of `node` whose component refs point at the schema Ajv knows them by. @param {any} node @returns {any} */
function rewriteRefs(node) {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  /** @type {Record<string, unknown>} */
  const copy = {};
  for (const [key, value] of Object.entries(node)) {
    copy[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')
        ? `${COMPONENTS_ID}#/$defs/${value.slice('#/components/schemas/'.length)}`
        : rewriteRefs(value);
  }
  return copy;
}

/** Every `x-…` key of the spec: OpenAPI extensions Ajv's strict mode must know as keywords. @param {any} spec */
function extensionKeywords(spec) {
  /** @type {Set<string>} */
  const found = new Set();
  /** @param {unknown} node */
  const walk = (node) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key.startsWith('x-')) found.add(key);
        walk(value);
      }
    }
  };
  walk(spec);
  return [...found];
}
