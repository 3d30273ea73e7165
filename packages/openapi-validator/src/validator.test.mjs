// @ts-check
// The contract validator on a small spec written for it: what it must find, and what it must accept.
import { describe, expect, it } from 'vitest';
import { createSpecValidator, formatViolation } from './validator.mjs';

const spec = {
  openapi: '3.1.0',
  security: [{ key: [] }],
  paths: {
    '/items/{itemId}': {
      parameters: [{ name: 'itemId', in: 'path', required: true, schema: { type: 'string', format: 'email' } }],
      put: {
        operationId: 'updateItem',
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', format: 'int64' } }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
        responses: {
          200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
          204: { description: 'no body' },
          '4XX': { description: 'any client error', headers: { 'Retry-After': { required: true, schema: { type: 'integer' } } } },
        },
      },
    },
    '/items/all': {
      get: { operationId: 'listItems', security: [], responses: { 200: { description: 'ok' } } },
    },
  },
  components: {
    securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } },
    schemas: {
      Item: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string', minLength: 1, example: 'a' }, id: { type: 'integer', format: 'int64' } },
        'x-vendor-note': 'extensions are annotations',
      },
    },
  },
};
const validator = createSpecValidator(spec);
const json = { 'content-type': 'application/json', 'x-key': 'k' };

/** @param {string} method @param {string} url @param {Record<string, string>} headers @param {unknown} [body] */
function request(method, url, headers, body) {
  return validator.checkRequest({ method, url, headers: new Headers(headers), body: body === undefined ? undefined : JSON.stringify(body) });
}

describe('requests', () => {
  it('a valid request, behind a base path, matches its operation without a violation', () => {
    const { operation, violations } = request('PUT', 'http://h/base/items/a%40example.com?limit=10', json, { name: 'n', id: 2 ** 53 - 1 });
    expect(operation?.operationId).toBe('updateItem');
    expect(violations).toEqual([]);
  });

  it('an empty query value is refused unless the parameter allows one (OpenAPI allowEmptyValue)', () => {
    expect(request('PUT', 'http://h/items/a@example.com?limit=', json, { name: 'n' }).violations.map(formatViolation)).toEqual([
      'updateItem request query limit: is empty, and the parameter does not allow an empty value',
    ]);
  });

  it('hands back the query it parsed, and for a path without the method, the methods it has', () => {
    expect(request('PUT', 'http://h/items/a@example.com?limit=10', json, { name: 'n' }).query.get('limit')).toBe('10');
    expect(request('PUT', 'http://h/items/a@example.com', json, { name: 'n' }).query.get('limit')).toBeNull();
    const wrongMethod = request('DELETE', 'http://h/items/a@example.com?limit=10', {});
    expect([wrongMethod.operation, wrongMethod.allowedMethods, wrongMethod.query.get('limit')]).toEqual([undefined, ['PUT'], '10']);
    expect(request('GET', 'http://h/nowhere', {}).allowedMethods).toEqual([]);
  });

  it('a literal path wins over a template that also matches', () => {
    expect(request('GET', 'http://h/items/all', {}).operation?.operationId).toBe('listItems');
  });

  it('finds each broken part, naming operation, place and field', () => {
    const { violations } = request('PUT', 'http://h/items/not-an-email?limit=1.5', { 'content-type': 'application/json' }, { id: 2 ** 64 });
    expect(violations.map(formatViolation)).toEqual([
      'updateItem request security header X-Key: the credential is missing',
      'updateItem request path itemId: must match format "email"',
      'updateItem request query limit: must be integer',
      "updateItem request body /name: must have required property 'name'",
      'updateItem request body /id: must match format "int64"',
    ]);
  });

  it('an unknown path, a missing body, a body that is not JSON or not declared', () => {
    expect(request('GET', 'http://h/nowhere', {}).violations[0]).toMatchObject({ operationId: '(none)', location: 'path' });
    expect(request('PUT', 'http://h/items/a@example.com', json).violations).toEqual([
      expect.objectContaining({ location: 'body', message: 'a body is required' }),
    ]);
    const broken = validator.checkRequest({ method: 'PUT', url: 'http://h/items/a@example.com', headers: new Headers(json), body: '{"name":' });
    expect(broken.violations).toEqual([expect.objectContaining({ location: 'body', message: 'is not valid JSON' })]);
    expect(request('PUT', 'http://h/items/a@example.com', { ...json, 'content-type': 'text/plain' }, { name: 'n' }).violations).toEqual([
      expect.objectContaining({ location: 'content-type' }),
    ]);
    expect(request('GET', 'http://h/items/all', json, {}).violations).toEqual([
      expect.objectContaining({ location: 'body', message: 'the operation takes no body, one was sent' }),
    ]);
  });

  it("a schema finding carries Ajv's keyword and params, for callers that word it their own way", () => {
    const item = spec.components.schemas.Item;
    expect(validator.validate(item, { name: '', id: 'one' })).toEqual([
      expect.objectContaining({ field: '/name', keyword: 'minLength', params: { limit: 1 } }),
      expect.objectContaining({ field: '/id', keyword: 'type', params: { type: 'integer' } }),
    ]);
    expect(validator.validate(item, {})).toEqual([expect.objectContaining({ field: '/name', keyword: 'required', params: { missingProperty: 'name' } })]);
    expect(request('PUT', 'http://h/items/nobody', json, { name: 'n' }).violations).toEqual([
      expect.objectContaining({ location: 'path', field: 'itemId', keyword: 'format', params: { format: 'email' } }),
    ]);
  });
});

describe('for a server: the parsed body, any header reader, URLs split without the parser when plain', () => {
  /** A reader over lower-case names, as a server holds them. @param {Record<string, string>} headers */
  const reader = (headers) => ({ get: (/** @type {string} */ name) => headers[name.toLowerCase()] ?? null, has: (/** @type {string} */ name) => name.toLowerCase() in headers });

  it('checks the value it is handed instead of parsing the text again', () => {
    const base = { method: 'PUT', url: 'http://h/items/a@example.com', headers: reader(json), body: '{"name":""}' };
    expect(validator.checkRequest({ ...base, json: { name: 'given' } }).violations).toEqual([]);
    expect(validator.checkRequest({ ...base, json: { name: '' } }).violations.map(formatViolation)).toEqual([
      'updateItem request body /name: must NOT have fewer than 1 characters',
    ]);
  });

  it.each([
    ['http://h/base/items/a@example.com', 'a@example.com'],
    ['http://h/base/items/a%40example.com', 'a@example.com'],
    ['http://h/base/./x/../items/a@example.com', 'a@example.com'],
    ['http://h/base/items/caf\u00e9@example.com', 'café@example.com'],
  ])('%s matches its operation with the decoded path parameter, plain or not', (url, itemId) => {
    const { operation, pathParams } = validator.checkRequest({ method: 'PUT', url, headers: reader(json), body: '{"name":"n"}' });
    expect(operation?.operationId).toBe('updateItem');
    expect(pathParams).toEqual({ itemId });
  });
});

describe('responses', () => {
  const operation = /** @type {import('./validator.mjs').SpecOperation} */ (request('PUT', 'http://h/items/a@example.com', json, { name: 'n' }).operation);
  /** @param {number} status @param {Record<string, string>} headers @param {string} body */
  const response = (status, headers, body) => validator.checkResponse(operation, { status, headers: new Headers(headers), body });

  it('accepts documented statuses, ranges included, with their bodies and headers', () => {
    expect(response(200, json, '{"name":"n"}')).toEqual([]);
    expect(response(200, { 'content-type': 'application/json;charset=utf-8' }, '{"name":"n"}')).toEqual([]);
    expect(response(204, {}, '')).toEqual([]);
    expect(response(409, { 'retry-after': '30' }, '')).toEqual([]);
  });

  it('finds an undocumented status, a wrong body, a missing or wrong header, an undocumented body', () => {
    expect(response(500, {}, '').map(formatViolation)).toEqual(['updateItem response status 500: 500 is not documented (documented: 200, 204, 4XX)']);
    expect(response(200, json, '{"name":42}').map(formatViolation)).toEqual(['updateItem response body /name: must be string']);
    expect(response(200, json, '')).toEqual([expect.objectContaining({ message: 'status 200 documents a body, none was sent' })]);
    expect(response(409, {}, '')).toEqual([expect.objectContaining({ location: 'header', field: 'Retry-After', message: 'is required' })]);
    expect(response(409, { 'retry-after': 'soon' }, '')).toEqual([expect.objectContaining({ location: 'header', message: 'must be integer' })]);
    expect(response(204, json, '{}')).toEqual([expect.objectContaining({ message: 'status 204 documents no body, one was sent' })]);
  });
});
