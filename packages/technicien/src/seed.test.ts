import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { getApi } from '../../../tools/apis.mjs';
import { matchesSeed, seedJsonExamples } from '../../../tools/testing/seed-examples.mjs';
import { listOperations } from '../../../tools/testing/spec.mjs';

// Nothing the vendor page documents may be missing from the spec: its endpoints, the parameters of its
// tables, the statuses of its "Réponses" blocks and its JSON example. (Every field of the example is
// declared by its schema: lint's no-invalid-media-type-examples runs with allowAdditionalProperties: false.)
const page = readFileSync(`${getApi('technicien').specDir}/vendor-doc.md`, 'utf8');
const operations = listOperations('technicien');

/** The page's sections, one per endpoint: method, path, parameter names and statuses. */
const sections = page
  .split(/^## /m)
  .slice(1)
  .map((section) => {
    const endpoint = /```\s*\n(get|post|put|delete) (\S+)\s*\n```/i.exec(section);
    const table = section.split('#### Paramètres de la requête')[1]?.split('####')[0] ?? '';
    const parameters = [...table.matchAll(/^\|\s*([A-Za-z]+)\s*\*?\s*\|/gm)].map((match) => match[1]).filter((name) => name !== 'Nom');
    const responses = section.split('#### Réponses')[1] ?? '';
    const statuses = [...responses.matchAll(/^(\d{3}) /gm)].map((match) => Number(match[1]));
    return { title: section.split('\n')[0], method: endpoint?.[1]?.toUpperCase(), path: endpoint?.[2], parameters, statuses };
  })
  .filter((section) => section.path);

describe("the vendor page's content is all in the spec", () => {
  it('finds both endpoints of the page', () => {
    expect(sections.map((section) => `${section.method} ${section.path}`)).toEqual([
      'POST /restapi/technicien/grant-client-access',
      'GET /restapi/technicien/update',
    ]);
  });

  describe.each(sections)('$method $path', (section) => {
    const operation = operations.find((candidate) => candidate.method === section.method && candidate.path === section.path);

    it('is an operation of the spec', () => {
      expect(operation).toBeDefined();
    });

    it.each(section.parameters)('has the query parameter %s', (name) => {
      expect(operation?.parameters).toContainEqual(expect.objectContaining({ name, in: 'query' }));
    });

    it.each(section.statuses)('documents the status %i', (status) => {
      expect(operation?.responseExamples.has(status)).toBe(true);
    });
  });

  it('has the JSON example of the page as the update body and its result, verbatim', () => {
    const [body, ...others] = seedJsonExamples('technicien');
    expect(others).toHaveLength(0);
    const update = operations.find((operation) => operation.operationId === 'updateTechnicien');
    expect(update?.requestExamples.some((example) => matchesSeed(body, example.value))).toBe(true);
    // "Le résultat de la requête sera formaté de la même façon que le corps de cette requête."
    expect(update?.responseExamples.get(200)?.some((example) => matchesSeed(body, example.value))).toBe(true);
  });
});
