// @ts-check
// Ends every run with one line, alone: `N passed, N failed` (plus `, N skipped` when any were), the
// count that CI reads. A failure outside a test counts too, so the line never says "0 failed" while vitest
// exits non-zero: a file that failed to load, a failed beforeAll/afterAll (whose tests vitest marks
// skipped, or leaves passed), a suite error, an unhandled error, and the run-level checks (the contract
// coverage gate).
import { runFailures } from './run-failures.mjs';

/** @implements {Partial<import('vitest/reporters').Reporter>} */
export default class SummaryReporter {
  /**
   * @param {ReadonlyArray<import('vitest/node').TestModule>} testModules @param {ReadonlyArray<unknown>} unhandledErrors
   * @param {'passed' | 'failed' | 'interrupted'} [reason]
   */
  onTestRunEnd(testModules, unhandledErrors, reason) {
    const { passed, failed, skipped } = countResults(testModules);
    let total = failed + unhandledErrors.length + runFailures().length;
    if (reason === 'failed' && total === 0) {
      // Whatever vitest failed the run for, it is not nothing.
      process.stdout.write('\nvitest failed the run outside any test, hook or file: counted as 1 failure\n');
      total = 1;
    }
    process.stdout.write(`\n${passed} passed, ${total} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}

/**
 * Tests by state, plus one failure per file or suite that failed on its own (its errors(): a hook, a
 * collection error), and one per failed file in which nothing else was counted.
 * @param {ReadonlyArray<import('vitest/node').TestModule>} testModules
 */
export function countResults(testModules) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const testModule of testModules) {
    let failedHere = 0;
    for (const test of testModule.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') passed++;
      else if (state === 'failed') failedHere++;
      else skipped++;
    }
    for (const entity of [testModule, ...testModule.children.allSuites()]) {
      if (entity.errors().length > 0) failedHere++;
    }
    if (failedHere === 0 && testModule.state() === 'failed') failedHere = 1;
    failed += failedHere;
  }
  return { passed, failed, skipped };
}
