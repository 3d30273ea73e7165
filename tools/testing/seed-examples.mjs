// @ts-check
// Finds the JSON examples of a vendor page (specs/<api>/vendor-doc.md, a copy of the seed) so that a
// test can prove each one is in the spec: nothing the vendor shows may be lost.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getApi } from '../apis.mjs';

/** The vendor pages show e-mail addresses redacted as this; the spec uses example.com addresses instead. */
export const REDACTED_EMAIL = '[email\u00a0protected]'; // with a no-break space, as on the page

/** @param {string} apiName @returns {unknown[]} every JSON value that starts a line of the vendor page */
export function seedJsonExamples(apiName) {
  const text = readFileSync(join(getApi(apiName).specDir, 'vendor-doc.md'), 'utf8');
  /** @type {unknown[]} */
  const found = [];
  const lines = text.split('\n');
  for (let start = 0; start < lines.length; start++) {
    if (!/^\s*[[{]\s*$/.test(lines[start] ?? '')) continue;
    // Grow the block line by line until it parses: the pages' JSON is pretty-printed.
    for (let end = start; end < lines.length; end++) {
      try {
        // Number each redacted address: the bulk example has two of them as keys of one object.
        let count = 0;
        const block = lines.slice(start, end + 1).join('\n').replaceAll(REDACTED_EMAIL, () => `${REDACTED_EMAIL}#${++count}`);
        found.push(JSON.parse(block));
        start = end;
        break;
      } catch {
        // not complete yet
      }
    }
  }
  return found;
}

/**
 * Deep equality where the seed's redacted address matches any e-mail address, as a value or as a key.
 * @param {unknown} seed @param {unknown} spec @returns {boolean}
 */
export function matchesSeed(seed, spec) {
  if (isRedacted(seed)) return typeof spec === 'string' && spec.includes('@');
  if (Array.isArray(seed)) {
    return Array.isArray(spec) && seed.length === spec.length && seed.every((item, index) => matchesSeed(item, spec[index]));
  }
  if (seed !== null && typeof seed === 'object') {
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return false;
    const seedEntries = Object.entries(seed);
    const specEntries = Object.entries(spec);
    return (
      seedEntries.length === specEntries.length &&
      seedEntries.every(([key, value], index) => {
        const [specKey, specValue] = /** @type {[string, unknown]} */ (specEntries[index]);
        return (isRedacted(key) ? specKey.includes('@') : key === specKey) && matchesSeed(value, specValue);
      })
    );
  }
  return Object.is(seed, spec);
}

/** @param {unknown} value */
function isRedacted(value) {
  return typeof value === 'string' && value.startsWith(`${REDACTED_EMAIL}#`);
}
