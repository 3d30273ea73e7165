// @ts-check
// Debian's chromium, driven by playwright-core, for the tests that need a real browser (the docs, the
// sandbox in a service worker). Skipped only where it is absent outside CI; in CI (CI set) its absence fails.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Whether the test file `name` must be skipped here (no chromium, not in CI); says so once when it must.
 * @param {string} name @returns {boolean}
 */
export function skipWithoutChromium(name) {
  const skip = !existsSync(CHROMIUM) && !process.env.CI;
  if (skip) console.warn(`${name} SKIPPED: ${CHROMIUM} is missing. Install it (apt-get update && apt-get install -y chromium); with CI set, its absence fails the run instead.`);
  return skip;
}

/**
 * Starts headless chromium on a fresh temporary profile (playwright deletes it on close).
 * @returns {Promise<import('playwright-core').Browser>}
 */
export function launchChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing in CI: .ci/run installs it (apt-get install -y chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}
