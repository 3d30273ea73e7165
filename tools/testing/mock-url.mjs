// @ts-check
import { inject } from 'vitest';

/** The base URL of `api`'s Prism mock, started once for the whole run by tools/vitest/prism-global-setup.mjs. @param {string} api */
export function mockUrl(api) {
  const url = /** @type {Record<string, string>} */ (inject('mockUrls'))[api];
  if (!url) throw new Error(`no mock for "${api}": is tools/vitest/prism-global-setup.mjs the run's globalSetup?`);
  return url;
}
