// @ts-check
// Finds the JSON examples of a vendor page (specs/<api>/vendor-doc.md, a copy of the seed) so that a
// test can prove each one is in the spec: nothing the vendor shows may be lost.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getApi } from '../apis.mjs';

/** The vendor pages show e-mail addresses redacted as this; the spec uses example.com addresses instead. */
export const REDACTED_EMAIL = '[email\u00a0protected]'; // with a no-break space, as on the page

/** @param {string} apiName @returns {string} the vendor page, as kept beside the spec */
export function vendorPage(apiName) {
  return readFileSync(join(getApi(apiName).specDir, 'vendor-doc.md'), 'utf8');
}

/**
 * Every JSON block of a vendor page: a line holding only `{` or `[` starts one, which grows line by line
 * until it parses (the pages' JSON is pretty-printed). A block that never parses is an error naming its
 * line: an example the tests cannot read must not vanish from them.
 * @param {string} apiName @returns {{ line: number, endLine: number, value: unknown }[]}  lines 1-based
 */
export function seedJsonBlocks(apiName) {
  /** @type {{ line: number, endLine: number, value: unknown }[]} */
  const found = [];
  const lines = vendorPage(apiName).split('\n');
  for (let start = 0; start < lines.length; start++) {
    if (!/^\s*[[{]\s*$/.test(lines[start] ?? '')) continue;
    let end = start;
    for (; end < lines.length; end++) {
      // Number each redacted address: the bulk example has two of them as keys of one object.
      let count = 0;
      const block = lines.slice(start, end + 1).join('\n').replaceAll(REDACTED_EMAIL, () => `${REDACTED_EMAIL}#${++count}`);
      try {
        found.push({ line: start + 1, endLine: end + 1, value: JSON.parse(block) });
        break;
      } catch {
        // not complete yet
      }
    }
    if (end === lines.length) {
      throw new Error(`specs/${apiName}/vendor-doc.md line ${start + 1}: a JSON block that never parses, from "${lines[start]?.trim()}" to the end of the page`);
    }
    start = end;
  }
  return found;
}

/** @param {string} apiName @returns {unknown[]} every JSON value of the vendor page, in page order */
export function seedJsonExamples(apiName) {
  return seedJsonBlocks(apiName).map((block) => block.value);
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
