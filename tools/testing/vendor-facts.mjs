// @ts-check
// Figures the vendors document, read from their words as the specs quote them, for tests to hold the code
// to: a test that took them from the code's own constant would pass whatever the constant said.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../apis.mjs';

/** "Le token n'est valable que 12 heures" (Gestion des accès, quoted in specs/technicien/openapi.yaml), in ms. */
export const DOCUMENTED_TOKEN_LIFETIME_MS = (() => {
  const spec = readFileSync(join(repoRoot, 'specs/technicien/openapi.yaml'), 'utf8');
  const hours = /Le token n'est valable que (\d+) heures/.exec(spec)?.[1];
  if (!hours) throw new Error("specs/technicien/openapi.yaml no longer quotes \"Le token n'est valable que N heures\"");
  return Number(hours) * 60 * 60 * 1000;
})();
