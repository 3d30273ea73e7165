import { describe, expect, it } from 'vitest';
import { matchesSeed, seedJsonBlocks, vendorPage } from '../../../tools/testing/seed-examples.mjs';
import { deref, listOperations, loadSpec } from '../../../tools/testing/spec.mjs';

// The whole vendor page (specs/technicien/vendor-doc.md, the page as published) read section by section,
// with its counts pinned: its endpoints, the parameters of its tables (required where the page marks them
// with `*`, and where the spec decides otherwise its description says why), the statuses of its
// "Réponses" blocks and its JSON example, in the operation and direction the page shows it in.
const api = 'technicien';
const page = vendorPage(api);
const spec = loadSpec(api);
const operations = listOperations(api);

/** A section per `## ` heading: its endpoint, its parameter table, its statuses, where its lines start. */
const sections = page
  .split(/^## /m)
  .slice(1)
  .map((text) => {
    const endpoint = /#### Endpoint\s*\n+```\s*\n(\w+) (\S+)\s*\n```/.exec(text);
    const table = text.split('#### Paramètres de la requête')[1]?.split('####')[0] ?? '';
    const rows = table
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
    const [header, rule, ...body] = rows;
    const responses = /#### Réponses\s*\n+```[^\n]*\n([\s\S]*?)```/.exec(text)?.[1] ?? '';
    return {
      title: text.split('\n')[0] ?? '',
      method: endpoint?.[1]?.toUpperCase(),
      path: endpoint?.[2],
      header,
      rule,
      parameters: body.map(([name = '', type = '', description = '']) => ({
        name: name.replace(/\s*\*$/, ''),
        required: name.endsWith('*'),
        type,
        description,
      })),
      statuses: responses.trim().split('\n').map((line) => line.trim()),
      hasBody: text.includes('#### Corps de la requête'),
      resultLikeBody: text.includes('Le résultat de la requête sera formaté de la même façon que le corps de cette requête.'),
      start: page.split('\n').findIndex((line) => line === `## ${text.split('\n')[0]}`) + 1,
    };
  });
const operationOf = (section: (typeof sections)[number]) =>
  operations.find((operation) => operation.method === section.method && operation.path === section.path);

describe('the vendor page, read whole', () => {
  it('has two sections, each with an endpoint that is an operation of the spec', () => {
    expect(sections.map((section) => `${section.method} ${section.path} ${operationOf(section)?.operationId}`)).toEqual([
      'POST /restapi/technicien/grant-client-access grantClientAccess',
      'GET /restapi/technicien/update updateTechnicien',
    ]);
  });

  it('asks for the token in X-AUTH-TOKEN on both, as the spec declares', () => {
    expect(page.match(/passage du token dans le header\s+\*\*X-AUTH-TOKEN\*\*/g)).toHaveLength(2);
    for (const section of sections) {
      const operation = operationOf(section);
      const schemes = (operation?.operation.security ?? spec.security).flatMap((requirement: object) => Object.keys(requirement));
      expect(schemes.map((name: string) => spec.components.securitySchemes[name])).toContainEqual(
        expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-AUTH-TOKEN' }),
      );
    }
  });

  it('has parameter tables of four rows in all, `*` marking the required ones as its legend says', () => {
    for (const section of sections) {
      expect(section.header).toEqual(['Nom', 'Type', 'Description']);
      expect(section.rule?.every((cell) => /^-+$/.test(cell))).toBe(true);
    }
    expect(sections.map((section) => section.parameters.map(({ name, type, required }) => `${name} ${type}${required ? ' *' : ''}`))).toEqual([
      ['emails string', 'codeExploitant string', 'dateFin string'],
      ['customerId integer ($int64) *'],
    ]);
    expect(page).toContain('\\* paramètre obligatoire');
  });

  describe.each(sections.flatMap((section) => section.parameters.map((parameter) => ({ ...parameter, section }))))(
    'parameter $name',
    ({ name, type, required, description, section }) => {
      const parameter = operationOf(section)?.parameters.find((candidate: { name: string }) => candidate.name === name);

      it('is a query parameter of its operation, of the type the page gives, with the page\'s description', () => {
        expect(parameter).toMatchObject({ name, in: 'query' });
        const schema = deref(spec, parameter.schema);
        const [, baseType, format] = /^(\w+)(?: \(\$(\w+)\))?$/.exec(type) ?? [];
        expect(schema.type).toBe(baseType);
        if (format) expect(schema.format).toBe(format);
        expect(parameter.description).toContain(description);
      });

      it(`is ${required ? 'required' : 'optional'} as the page marks it, or the spec says why not`, () => {
        if (parameter.required === required) return;
        // The spec's stated assumption: its description says what the page marks and why it differs.
        expect(parameter.description.replace(/\s+/g, ' ')).toMatch(/The vendor('s table)? (does not mark it as required|marks this parameter with `\*`)/);
      });
    },
  );

  it('documents the statuses of its "Réponses" blocks, each declared by the spec; the spec adds only its stated assumptions', () => {
    expect(sections.map((section) => section.statuses)).toEqual([
      ['200 OK', '201 Created', '401 UNAUTHORIZED', '403 FORBIDDEN', '404 NOT FOUND'],
      ['200 OK', '401 UNAUTHORIZED', '403 FORBIDDEN', '404 NOT FOUND'],
    ]);
    for (const section of sections) {
      const statuses = section.statuses.map((line) => Number(line.split(' ')[0]));
      const operation = operationOf(section);
      const declared = [...(operation?.responseExamples.keys() ?? [])].sort();
      expect(declared.filter((status) => statuses.includes(status))).toEqual(statuses);
      // Beyond the page: 400 for invalid input, each saying it is not the vendor's.
      const added = declared.filter((status) => !statuses.includes(status));
      expect(added).toEqual([400]);
      for (const status of added) {
        const description = deref(spec, operation?.operation.responses[status]).description.replace(/\s+/g, ' ');
        expect(description).toMatch(/Not documented by the vendor/);
        expect(description).toMatch(/this spec's assumption/i);
      }
    }
    expect(spec.info.description.replace(/\s+/g, ' ')).toContain('**Invalid input gets 400.** The vendor documents no answer');
  });

  it('has one JSON example, the update body, also its result ("formaté de la même façon que le corps")', () => {
    const blocks = seedJsonBlocks(api);
    expect(blocks).toHaveLength(1);
    const [block] = blocks;
    const lines = page.split('\n');
    // The block sits under the section's "Corps de la requête" (request body) heading, in a JSON fence.
    const above = lines.slice(0, (block?.line ?? 1) - 1).reverse();
    expect(above.find((line) => line.startsWith('#### '))).toBe('#### Corps de la requête');
    expect(above.find((line) => line.startsWith('```'))).toBe('```JSON');
    const section = sections.filter((candidate) => candidate.start <= (block?.line ?? 0)).pop();
    expect(section).toMatchObject({ method: 'GET', path: '/restapi/technicien/update', hasBody: true, resultLikeBody: true });
    expect(sections.filter((candidate) => candidate.hasBody)).toHaveLength(1);
    const update = section && operationOf(section);
    expect(update?.requestExamples.some((example) => matchesSeed(block?.value, example.value))).toBe(true);
    expect(update?.responseExamples.get(200)?.some((example) => matchesSeed(block?.value, example.value))).toBe(true);
  });

  it('every field of the example is declared by the body schema', () => {
    const [block] = seedJsonBlocks(api);
    const undeclared: string[] = [];
    const walk = (value: unknown, schemaRef: unknown, at: string) => {
      const schema = deref(spec, schemaRef);
      if (Array.isArray(value)) value.forEach((item, index) => walk(item, schema.items, `${at}/${index}`));
      else if (value !== null && typeof value === 'object') {
        for (const [key, member] of Object.entries(value)) {
          if (!schema.properties?.[key]) undeclared.push(`${at}/${key}`);
          else walk(member, schema.properties[key], `${at}/${key}`);
        }
      }
    };
    const update = operations.find((operation) => operation.operationId === 'updateTechnicien');
    walk(block?.value, deref(spec, update?.operation.requestBody).content['application/json'].schema, '');
    expect(undeclared).toEqual([]);
  });
});
