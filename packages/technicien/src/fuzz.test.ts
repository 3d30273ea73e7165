import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contractClient, defineFuzzTests } from '../../../tools/testing/contract-suite.mjs';
import driver from '../../../tools/testing/drivers/technicien.mjs';
import { FUZZ_RUNS, FUZZ_SEED } from '../../../tools/testing/fuzz.mjs';
import * as technicien from './node.js';

// Bodies and parameters built from the spec's schemas, valid and broken, through the real client
// against the mock (seeded; FUZZ_RUNS=5000 for a longer search).
defineFuzzTests(driver, technicien);

// What the spec cannot say: the client takes a list of addresses and joins them with ";", so an address
// holding a ";" would silently become two. The client must refuse it, sending nothing.
describe('grantClientAccess, addresses as the client takes them', () => {
  const { contract, client } = contractClient(driver, technicien);

  it('an address containing ";" is refused with a typed error before anything is sent', async () => {
    const withSeparator = fc
      .tuple(fc.emailAddress(), fc.nat())
      .map(([email, at]) => `${email.slice(0, at % email.length)};${email.slice(at % email.length)}`);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.emailAddress(), { maxLength: 3 }), withSeparator, fc.nat(), async (others, broken, at) => {
        const emails = [...others.slice(0, at % (others.length + 1)), broken, ...others.slice(at % (others.length + 1))];
        const result = await client.grantClientAccess({ emails, codeExploitant: 'EXP01', dateFin: '2026-12-31' });
        expect(result.error).toMatchObject({ kind: 'invalid-input', status: 0, operation: 'grantClientAccess' });
        expect(result.error?.message).toContain(broken);
        expect(contract.exchanges).toEqual([]);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  });
});
