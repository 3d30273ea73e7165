// @ts-check
// The spec-version gate on temporary copies of a bundled spec (the real specs are never touched): the
// "released" copy is the bundle as built (info.version 1.0.0), the "current" one gets a deliberate change
// and a version; the package's pending changeset is given as changesets' planner would report it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { getApi } from './apis.mjs';
import { checkSpecAgainstRelease, contractOf } from './spec-diff.mjs';

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

/**
 * A pending release of the package, as changesets' planner gives it. @param {'major' | 'minor' | 'patch'} type
 * @returns {import('./changesets.mjs').PlannedRelease}
 */
const pending = (type) => ({ name: packageName, type, oldVersion: '1.0.0', newVersion: { major: '2.0.0', minor: '1.1.0', patch: '1.0.1' }[type], changesets: ['a-change'] });

/** @param {string} currentFile @param {'major' | 'minor' | 'patch'} [changeset] the package's pending bump */
function check(currentFile, changeset) {
  return checkSpecAgainstRelease({ api: 'take-control', releasedFile, currentFile, packages: [{ name: packageName, planned: changeset && pending(changeset) }] });
}

describe('the bump a spec change justifies, against the released spec', () => {
  test('an unchanged spec keeps its version; a bump without a change fails', async () => {
    expect(await check(changedCopy('unchanged', () => {}))).toMatchObject({ ok: true, bump: 'none', expectedVersion: '1.0.0' });
    const bumped = await check(changedCopy('bumped-only', (spec) => (spec.info.version = '1.0.1')), 'patch');
    expect(bumped).toMatchObject({ ok: false, bump: 'none' });
    expect(bumped.message).toContain('the spec did not change since 1.0.0: set it back to 1.0.0');
  });

  test('wording and examples only: a patch, with a changeset', async () => {
    const wording = (/** @type {string} */ version) => (/** @type {any} */ spec) => {
      spec.info.version = version;
      spec.info.description += ' Reworded.';
      spec.paths['/tech'].post.summary = 'Create one technician';
      spec.components.schemas.TechnicianCreate.properties.email.examples = ['jane.roe@example.com'];
      spec.components.schemas.TechnicianCreate.properties.email.description = 'Also the username.';
    };
    const right = await check(changedCopy('wording', wording('1.0.1')), 'patch');
    expect(right).toMatchObject({ ok: true, bump: 'patch', expectedVersion: '1.0.1' });
    expect(right.message).toContain('changed /components/schemas/TechnicianCreate/properties/email/description');

    const unbumped = await check(changedCopy('wording-unbumped', wording('1.0.0')), 'patch');
    expect(unbumped.ok).toBe(false);
    expect(unbumped.message).toContain('info.version is 1.0.0 but the change justifies a patch bump: set it to 1.0.1.');
    const overBumped = await check(changedCopy('wording-minor', wording('1.1.0')), 'minor');
    expect(overBumped.message).toContain('info.version is 1.1.0 but the change justifies a patch bump: set it to 1.0.1.');
    const noChangeset = await check(changedCopy('wording-no-changeset', wording('1.0.1')));
    expect(noChangeset.ok).toBe(false);
    expect(noChangeset.message).toContain(`${packageName} needs a pending patch, minor or major changeset for this spec change (npx changeset); it has none.`);
  });

  test('compatible contract changes are a minor: an optional request property, a new operation, a property named "description"', async () => {
    const additive = (/** @type {string} */ version) => (/** @type {any} */ spec) => {
      spec.info.version = version;
      spec.components.schemas.TechnicianCreate.properties.phone = { type: 'string', description: 'A phone number.' };
      spec.components.schemas.TechnicianCreate.properties.description = { type: 'string' };
      spec.paths['/tech/ping'] = { get: { operationId: 'ping', summary: 'Ping', responses: { 200: { description: 'Up.' } } } };
    };
    const right = await check(changedCopy('additive', additive('1.1.0')), 'minor');
    expect(right).toMatchObject({ ok: true, bump: 'minor', expectedVersion: '1.1.0', breaking: [] });
    expect(right.message).toContain('added /components/schemas/TechnicianCreate/properties/description');

    const unbumped = await check(changedCopy('additive-unbumped', additive('1.0.0')), 'minor');
    expect(unbumped.message).toContain('info.version is 1.0.0 but the change justifies a minor bump: set it to 1.1.0.');
    const asPatch = await check(changedCopy('additive-patch', additive('1.0.1')), 'minor');
    expect(asPatch.message).toContain('info.version is 1.0.1 but the change justifies a minor bump: set it to 1.1.0.');
    const asMajor = await check(changedCopy('additive-major', additive('2.0.0')), 'major');
    expect(asMajor.message).toContain('info.version is 2.0.0 but the change justifies a minor bump: set it to 1.1.0.');
    const patchChangeset = await check(changedCopy('additive-patch-changeset', additive('1.1.0')), 'patch');
    expect(patchChangeset.ok).toBe(false);
    expect(patchChangeset.message).toContain(`${packageName} needs a pending minor or major changeset for this spec change (npx changeset); it has a patch one.`);
  }, 60_000);

  test('a removed operation is a major, naming it', async () => {
    const removed = (/** @type {string} */ version) => (/** @type {any} */ spec) => {
      spec.info.version = version;
      delete spec.paths['/tech/bulk'];
    };
    const right = await check(changedCopy('removed-operation', removed('2.0.0')), 'major');
    expect(right).toMatchObject({ ok: true, bump: 'major', expectedVersion: '2.0.0' });
    expect(right.breaking).toContain('POST /tech/bulk: [prevent operation removal] cannot remove an operation.');

    const asMinor = await check(changedCopy('removed-operation-minor', removed('1.1.0')), 'major');
    expect(asMinor.ok).toBe(false);
    expect(asMinor.message).toContain('info.version is 1.1.0 but the change justifies a major bump: set it to 2.0.0.');
    expect(asMinor.message).toContain('POST /tech/bulk: [prevent operation removal]');
    const minorChangeset = await check(changedCopy('removed-operation-minor-changeset', removed('2.0.0')), 'minor');
    expect(minorChangeset.message).toContain(`${packageName} needs a pending major changeset for this spec change (npx changeset); it has a minor one.`);
  }, 60_000);

  test('a newly required request property, a narrowed enum and a changed type are breaking', async () => {
    const current = changedCopy('breaking-fields', (spec) => {
      spec.info.version = '2.0.0';
      spec.components.schemas.TechnicianCreate.required.push('timezone');
      spec.components.schemas.TechnicianStatus.enum = ['enabled'];
      spec.components.schemas.Error.properties.status.type = 'string';
    });
    const result = await check(current, 'major');
    expect(result).toMatchObject({ ok: true, bump: 'major' });
    const rules = result.breaking.join('\n');
    expect(rules).toContain('POST /tech request: [prevent changing request property to required]');
    expect(rules).toContain("cannot remove enum option 'disabled' from 'status' property");
    expect(rules).toContain('[prevent response property type changes]');
  }, 30_000);

  test('a spec never released has no baseline: it may change, at 1.0.0', async () => {
    const absent = join(dir, 'absent.json');
    const unreleased = await checkSpecAgainstRelease({ api: 'take-control', releasedFile: absent, currentFile: changedCopy('draft', (spec) => delete spec.paths['/tech/bulk']), packages: [] });
    expect(unreleased).toMatchObject({ ok: true, bump: 'unreleased' });
    const early = await checkSpecAgainstRelease({ api: 'take-control', releasedFile: absent, currentFile: changedCopy('early', (spec) => (spec.info.version = '1.1.0')), packages: [] });
    expect(early.ok).toBe(false);
    expect(early.message).toContain('so info.version must be 1.0.0, the version its first release records; found 1.1.0');
  });
});

describe('what counts as documentation', () => {
  test('descriptions, summaries, titles, examples and tags go; names, defaults, enums and extensions stay', () => {
    const spec = {
      info: { title: 'T', version: '1.0.0' },
      tags: [{ name: 'a', description: 'A' }],
      paths: { '/x': { get: { tags: ['a'], summary: 's', description: 'd', responses: { 200: { description: 'ok', content: { 'application/json': { examples: { one: { value: 1 } } } } } } } } },
      components: {
        schemas: {
          Thing: {
            title: 'Thing',
            description: 'A thing.',
            example: { description: 'x' },
            properties: { description: { type: 'string', description: 'its words' }, title: { type: 'string', default: { description: 'kept' } } },
            'x-extension': { description: 'kept' },
          },
        },
      },
    };
    expect(contractOf(spec)).toEqual({
      paths: { '/x': { get: { responses: { 200: { content: { 'application/json': {} } } } } } },
      components: {
        schemas: {
          Thing: {
            properties: { description: { type: 'string' }, title: { type: 'string', default: { description: 'kept' } } },
            'x-extension': { description: 'kept' },
          },
        },
      },
    });
  });
});
