// @ts-check
// The registry of our APIs is redocly.yaml's `apis:` map. Every path an API's pipeline reads or writes
// is derived here, from its name, so the layout stays one convention: specs/<api>, packages/<api>,
// dist/specs/<api>.{yaml,json}, dist/docs/<api>.html.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {object} Api
 * @property {string} name            redocly.yaml alias, also the folder name under specs/ and packages/
 * @property {string} specRoot        the hand-written root file
 * @property {string} specDir
 * @property {string} bundledYaml     dist/specs/<api>.yaml
 * @property {string} bundledJson     dist/specs/<api>.json
 * @property {string} packageDir
 * @property {string} generatedTypes  the committed openapi-typescript output
 * @property {string} generatedSpecVersion  the committed SPEC_VERSION export (info.version)
 * @property {string} docsHtml        dist/docs/<api>.html
 */

/** @returns {Api[]} */
export function listApis() {
  const config = parse(readFileSync(join(repoRoot, 'redocly.yaml'), 'utf8'));
  return Object.entries(config.apis).map(([name, { root }]) => ({
    name,
    specRoot: join(repoRoot, root),
    specDir: join(repoRoot, dirname(root)),
    bundledYaml: join(repoRoot, 'dist/specs', `${name}.yaml`),
    bundledJson: join(repoRoot, 'dist/specs', `${name}.json`),
    packageDir: join(repoRoot, 'packages', name),
    generatedTypes: join(repoRoot, 'packages', name, 'src/generated/openapi.ts'),
    generatedSpecVersion: join(repoRoot, 'packages', name, 'src/generated/spec-version.ts'),
    docsHtml: join(repoRoot, 'dist/docs', `${name}.html`),
  }));
}

/** @param {string} name */
export function getApi(name) {
  const api = listApis().find((candidate) => candidate.name === name);
  if (!api) {
    const known = listApis().map((candidate) => candidate.name).join(', ');
    throw new Error(`Unknown API "${name}". Known APIs: ${known}.`);
  }
  return api;
}
