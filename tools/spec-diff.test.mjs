// @ts-check
// The breaking-change gate on temporary copies of a bundled spec (the real specs are never touched): the
// "released" copy is the bundle as built, the "current" one gets a deliberate change.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { getApi } from './apis.mjs';
import { checkSpecAgainstRelease } from './spec-diff.mjs';

const packageName = '@techapi/take-control';
const dir = mkdtempSync(join(tmpdir(), 'spec-diff-test-'));
const releasedFile = join(dir, 'released.json');
writeFileSync(releasedFile, readFileSync(getApi('take-control').bundledJson));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** @param {string} name @param {(spec: any) => void} change @returns {string} the changed copy */
function changedCopy(name, change) {
  const spec = JSON.parse(readFileSync(releasedFile, 'utf8'));
  change(spec);
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(spec, null, 2));
  return file;
}

/** @param {string} currentFile @param {import('./changesets.mjs').PlannedRelease} [planned] */
function check(currentFile, planned) {
  return checkSpecAgainstRelease({ packageName, releasedFile, currentFile, planned });
}

/** A pending major changeset, as the release plan shows it. */
const majorChangeset = { name: packageName, type: /** @type {const} */ ('major'), oldVersion: '1.0.0', newVersion: '2.0.0', changesets: ['drop-bulk'] };

describe('spec:diff against the released spec', () => {
  test('an unchanged spec is compatible', async () => {
    const result = await check(changedCopy('unchanged', () => {}));
    expect(result.verdict).toBe('compatible');
  }, 30_000);

  test('compatible changes pass: an optional request property and a new operation', async () => {
    const current = changedCopy('compatible', (spec) => {
      spec.info.version = '1.1.0';
      spec.components.schemas.TechnicianCreate.properties.phone = { type: 'string', description: 'A phone number.' };
      spec.paths['/tech/ping'] = { get: { operationId: 'ping', summary: 'Ping', responses: { 200: { description: 'Up.' } } } };
    });
    const result = await check(current);
    expect(result).toMatchObject({ verdict: 'compatible', breaking: [] });
  }, 30_000);

  test('a removed operation fails, naming it', async () => {
    const current = changedCopy('removed-operation', (spec) => {
      delete spec.paths['/tech/bulk'];
    });
    const result = await check(current);
    expect(result.verdict).toBe('breaking');
    expect(result.breaking).toContain('POST /tech/bulk: [prevent operation removal] cannot remove an operation.');
    expect(result.message).toMatch(/major changeset .* info\.version 2\.0\.0/);
  }, 30_000);

  test('a newly required request property, a narrowed enum and a changed type fail', async () => {
    const current = changedCopy('breaking-fields', (spec) => {
      spec.info.version = '1.1.0'; // a minor bump does not excuse a breaking change
      spec.components.schemas.TechnicianCreate.required.push('timezone');
      spec.components.schemas.TechnicianStatus.enum = ['enabled'];
      spec.components.schemas.Error.properties.status.type = 'string';
    });
    const result = await check(current);
    expect(result.verdict).toBe('breaking');
    const rules = result.breaking.join('\n');
    expect(rules).toContain('POST /tech request: [prevent changing request property to required]');
    expect(rules).toContain("cannot remove enum option 'disabled' from 'status' property");
    expect(rules).toContain('[prevent response property type changes]');
  }, 30_000);

  test('a breaking change marked major passes: by info.version major or by a major changeset', async () => {
    const bumped = changedCopy('major-spec', (spec) => {
      delete spec.paths['/tech/bulk'];
      spec.info.version = '2.0.0';
    });
    const bySpec = await check(bumped);
    expect(bySpec.verdict).toBe('breaking-major');
    expect(bySpec.breaking.length).toBeGreaterThan(0);

    const unbumped = changedCopy('major-changeset', (spec) => {
      delete spec.paths['/tech/bulk'];
    });
    expect((await check(unbumped, majorChangeset)).verdict).toBe('breaking-major');
    const minorChangeset = { ...majorChangeset, type: /** @type {const} */ ('minor'), newVersion: '1.1.0' };
    expect((await check(unbumped, minorChangeset)).verdict).toBe('breaking');
  }, 60_000);

  test('a package never released has nothing to compare', async () => {
    const result = await checkSpecAgainstRelease({ packageName, releasedFile: join(dir, 'absent.json'), currentFile: releasedFile });
    expect(result.verdict).toBe('unreleased');
  });
});
