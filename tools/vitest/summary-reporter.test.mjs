// @ts-check
// The count line, from a real vitest run of fixture files that fail outside their tests: it must count
// those failures, so that it never reads "0 failed" while vitest exits non-zero.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../apis.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Runs vitest on `files` of the fixtures with the summary reporter alone. @param {string[]} files */
async function runFixtures(files) {
  const vitest = join(repoRoot, 'node_modules/vitest/vitest.mjs');
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [vitest, 'run', '--config', 'vitest.config.mjs', ...files], {
      cwd: fixtures,
      env: { ...process.env, CI: '', FORCE_COLOR: '0' },
    });
    return { code: 0, stdout, lastLine: stdout.trimEnd().split('\n').pop() };
  } catch (error) {
    const failed = /** @type {{ code: number, stdout: string }} */ (error);
    return { code: failed.code, stdout: failed.stdout, lastLine: failed.stdout.trimEnd().split('\n').pop() };
  }
}

/** The line the reporter adds when it found no failure in a failed run, which would hide a lost count. */
const fallback = 'outside any test, hook or file';

describe('the summary line', () => {
  it('counts each failing test', async () => {
    const { code, stdout, lastLine } = await runFixtures(['failing-test.fixture.mjs']);
    expect(code).toBe(1);
    expect(lastLine).toBe('1 passed, 2 failed');
    expect(stdout).not.toContain(fallback);
  }, 60_000);

  it('counts each unhandled error although every test passed', async () => {
    const { code, stdout, lastLine } = await runFixtures(['unhandled-error.fixture.mjs']);
    expect(code).toBe(1);
    expect(lastLine).toBe('2 passed, 2 failed');
    expect(stdout).not.toContain(fallback);
  }, 60_000);

  it('counts a failing test and the failing afterAll beside it as two failures', async () => {
    const { code, stdout, lastLine } = await runFixtures(['failing-test-and-hook.fixture.mjs']);
    expect(code).toBe(1);
    expect(lastLine).toBe('1 passed, 2 failed');
    expect(stdout).not.toContain(fallback);
  }, 60_000);

  it('counts a failed beforeAll as a failure, its skipped tests as skipped, and vitest exits 1', async () => {
    const { code, lastLine } = await runFixtures(['failing-before-all.fixture.mjs']);
    expect(code).toBe(1);
    expect(lastLine).toBe('1 passed, 1 failed, 2 skipped');
  }, 60_000);

  it('counts a failed afterAll as a failure although every test passed', async () => {
    const { code, lastLine } = await runFixtures(['failing-after-all.fixture.mjs']);
    expect(code).toBe(1);
    expect(lastLine).toBe('1 passed, 1 failed');
  }, 60_000);

  it('counts a file that fails to load as a failure', async () => {
    const { code, lastLine } = await runFixtures(['failing-import.fixture.mjs']);
    expect(code).toBe(1);
    expect(lastLine).toBe('0 passed, 1 failed');
  }, 60_000);

  it('counts a run vitest fails outside any test (here: no test file matches) as a failure', async () => {
    const { code, lastLine } = await runFixtures(['no-such.fixture.mjs']);
    expect(code).toBe(1);
    expect(lastLine).toBe('0 passed, 1 failed');
  }, 60_000);
});
