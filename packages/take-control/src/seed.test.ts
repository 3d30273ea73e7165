import { describe, expect, it } from 'vitest';
import { matchesSeed, seedJsonExamples } from '../../../tools/testing/seed-examples.mjs';
import { listOperations } from '../../../tools/testing/spec.mjs';

// Every JSON example of the vendor page is an example of the spec (its redacted addresses aside), so
// the contract tests, which replay every spec example, replay every seed example too.
describe('the vendor page\'s examples are all in the spec', () => {
  const specExamples = listOperations('take-control').flatMap((operation) => [
    ...operation.requestExamples,
    ...[...operation.responseExamples.values()].flat(),
  ]);
  const seeds = seedJsonExamples('take-control');

  it('finds the ten examples of the page', () => {
    expect(seeds).toHaveLength(10);
  });

  it.each(seeds.map((seed) => ({ seed, json: JSON.stringify(seed) })))('$json', ({ seed }) => {
    expect(specExamples.some((example) => matchesSeed(seed, example.value))).toBe(true);
  });
});
