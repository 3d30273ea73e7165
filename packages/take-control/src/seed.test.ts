import { describe, expect, it } from 'vitest';
import { matchesSeed, seedJsonBlocks, vendorPage } from '../../../tools/testing/seed-examples.mjs';
import { deref, listOperations, loadSpec } from '../../../tools/testing/spec.mjs';

// The whole vendor page (specs/take-control/vendor-doc.md, the guide as published) read line by line, with
// its counts pinned: its sections, endpoints, parameters (required or optional as the page lists them),
// statuses and JSON examples, each example in the operation and direction the page shows it in. A page
// that changes shape fails here first, before anything it documents can go missing from the spec.
const api = 'take-control';
const lines = vendorPage(api).split('\n');
const spec = loadSpec(api);
const operations = listOperations(api);

/** The page's sections, in order: three endpoints, then the errors of the whole API. */
const HEADINGS = ['Create Technician', 'Create Multiple Technicians', 'Modify Technician Status', 'Error Handling'];
const headingLines = HEADINGS.map((heading) => lines.findIndex((line) => line === heading));
/** The section a 0-based line belongs to: the last heading at or above it (-1 before the first). */
/** The last line above the 0-based `index` that `test` accepts. */
const lastAbove = (index: number, test: (line: string) => boolean) => lines.slice(0, index).reverse().find(test);
const sectionOf = (index: number) => headingLines.filter((start) => start !== -1 && start <= index).length - 1;

const ENDPOINT = /^(GET|POST|PUT|PATCH|DELETE) (\/\S*)$/;
const FIELD = /^\s*•\s*(\w+): (.+)$/;
const STATUS = /^\s*•\s*(\d{3}) ([^:]+): (.+)$/;

const endpoints = lines.flatMap((line, index) => {
  const match = ENDPOINT.exec(line);
  return match ? [{ index, method: match[1], path: match[2], section: sectionOf(index) }] : [];
});
const operationOfSection = (section: number) => {
  const endpoint = endpoints.find((candidate) => candidate.section === section);
  return endpoint && operations.find((operation) => operation.method === endpoint.method && operation.path === endpoint.path);
};

/** The bullets under "Required Parameters:" and "Optional Parameters:", each with its section. */
const fields = lines.flatMap((line, index) => {
  const match = FIELD.exec(line);
  if (!match || STATUS.test(line)) return [];
  const list = lastAbove(index, (above) => /^\s*(Required|Optional) Parameters:\s*$/.test(above));
  return [{ name: match[1] as string, required: list?.trim().startsWith('Required'), text: match[2] as string, section: sectionOf(index) }];
});
const errorStatuses = lines.flatMap((line) => {
  const match = STATUS.exec(line);
  return match ? [{ status: Number(match[1]), reason: match[2], text: match[3] }] : [];
});

describe('the vendor page, read whole', () => {
  it('has its four sections, once each and in order', () => {
    expect(headingLines.every((index) => index !== -1)).toBe(true);
    expect(headingLines).toEqual([...headingLines].sort((a, b) => a - b));
    for (const heading of HEADINGS) expect(lines.filter((line) => line === heading)).toHaveLength(1);
  });

  it('shows three endpoints, one per operation section, each an operation of the spec', () => {
    expect(endpoints.map(({ method, path, section }) => `${section} ${method} ${path}`)).toEqual([
      '0 POST /tech',
      '1 POST /tech/bulk',
      '2 PUT /tech/{techUsername}',
    ]);
    expect([0, 1, 2].map((section) => operationOfSection(section)?.operationId)).toEqual(['createTechnician', 'createTechnicians', 'setTechnicianStatus']);
    expect(operations).toHaveLength(3);
  });

  it('sends each request with the integration key in Authorization and a JSON body, as the spec declares', () => {
    for (const { index } of endpoints) {
      expect(lines[index + 1]).toBe('Authorization: INTEGRATION-KEY your-private-key');
      expect(lines[index + 2]).toBe('Content-Type: application/json');
    }
    expect(spec.components.securitySchemes.integrationKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    for (const { operation } of operations) {
      expect(operation.security ?? spec.security).toEqual([{ integrationKey: [] }]);
      expect(Object.keys(deref(spec, operation.requestBody).content)).toEqual(['application/json']);
    }
  });

  it('lists seven parameters, every bullet of the page being a parameter or a status', () => {
    expect(fields.map(({ section, name, required }) => `${section} ${name} ${required ? 'required' : 'optional'}`)).toEqual([
      '0 email required',
      '0 name required',
      '0 profile optional',
      '0 language optional',
      '0 timezone optional',
      '2 techUsername required',
      '2 status required',
    ]);
    expect(lines.filter((line) => /^\s*•/.test(line))).toHaveLength(fields.length + errorStatuses.length);
  });

  describe.each(fields)('parameter $name of section $section', ({ name, required, text, section }) => {
    const operation = operationOfSection(section);
    const parameter = operation?.parameters.find((candidate: { name: string }) => candidate.name === name);
    const body = deref(spec, deref(spec, operation?.operation.requestBody)?.content['application/json'].schema);
    const property = deref(spec, body?.properties?.[name]);

    it(`is in the spec, ${required ? 'required' : 'optional'} as the page lists it`, () => {
      if (parameter) {
        expect(parameter.in).toBe('path');
        expect(parameter.required).toBe(required);
        expect(operation?.path).toContain(`{${name}}`);
      } else {
        expect(property).toBeDefined();
        expect((body.required ?? []).includes(name)).toBe(required);
      }
    });

    it('takes the values the page gives', () => {
      const schema = parameter ? deref(spec, parameter.schema) : property;
      const given = [...text.matchAll(/"([^"]+)"/g)].map((match) => match[1]);
      if (/\(".+" or ".+"\)/.test(text)) expect(schema.enum).toEqual(given); // status: ("enabled" or "disabled"): the whole list
      else for (const value of given) expect(schema.examples).toContain(value);
      if (/email address/.test(text)) expect(schema.format).toBe('email');
    });
  });

  it('gives bulk creation the parameters of a single creation, as an array of them', () => {
    expect(lines).toContain('For efficiently onboarding multiple technicians at once, use the Bulk Create endpoint. This endpoint accepts an array of technician objects with the same parameters as individual creation.');
    const single = deref(spec, operationOfSection(0)?.operation.requestBody).content['application/json'].schema;
    const bulk = deref(spec, operationOfSection(1)?.operation.requestBody).content['application/json'].schema;
    expect(bulk.type).toBe('array');
    expect(bulk.items).toEqual(single);
  });

  it('documents 200 for success and four error statuses for the whole API, each declared by the spec', () => {
    expect(lines.filter((line) => /\b\d{3} status code\b/.test(line))).toEqual(['A successful creation returns a 200 status code along with confirmation details:']);
    expect(errorStatuses.map(({ status, reason }) => `${status} ${reason}`)).toEqual(['400 Bad Request', '403 Forbidden', '409 Conflict', '429 Too Many Requests']);
    for (const operation of operations) expect(operation.responseExamples.has(200)).toBe(true);
    for (const { status } of errorStatuses) expect(operations.filter((operation) => operation.responseExamples.has(status)), `status ${status}`).not.toEqual([]);
  });

  it('has ten JSON examples, each in the operation and direction the page shows it in', () => {
    const placed = seedJsonBlocks(api).map(({ line, value }) => {
      const index = line - 1;
      const section = sectionOf(index);
      const marker = lastAbove(index, (above) => above === 'Request' || above === 'Response' || STATUS.test(above)) ?? '';
      const status = STATUS.exec(marker);
      return {
        value,
        where: `${section < 3 ? operationOfSection(section)?.operationId : 'every operation'} ${marker === 'Request' ? 'request' : `response ${status ? status[1] : 200}`}`,
      };
    });
    expect(placed.map(({ where }) => where)).toEqual([
      'createTechnician request',
      'createTechnician response 200',
      'createTechnicians request',
      'createTechnicians response 200',
      'setTechnicianStatus request',
      'setTechnicianStatus response 200',
      'every operation response 400',
      'every operation response 403',
      'every operation response 409',
      'every operation response 429',
    ]);
    for (const { value, where } of placed) {
      const [operationId, direction, status] = where.replace('every operation', '*').split(' ');
      const inScope = operations.filter((operation) => operationId === '*' || operation.operationId === operationId);
      // The page lists its errors once for the API: each is an example of every operation that declares the status.
      for (const operation of inScope.filter((candidate) => direction === 'request' || candidate.responseExamples.has(Number(status)))) {
        const examples = direction === 'request' ? operation.requestExamples : (operation.responseExamples.get(Number(status)) ?? []);
        expect(examples.some((example) => matchesSeed(value, example.value)), `${JSON.stringify(value)} as ${operation.operationId} ${direction} ${status ?? ''}`).toBe(true);
      }
    }
  });
});
