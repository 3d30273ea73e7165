// @ts-check
// Ends every run with one line, alone: `N passed, N failed` (plus `, N skipped` when any were), the
// count that CI reads. Failures of run-level checks (the contract coverage gate) count as failed items.
import { runFailures } from './run-failures.mjs';

/** @implements {Partial<import('vitest/reporters').Reporter>} */
export default class SummaryReporter {
  /** @param {ReadonlyArray<import('vitest/node').TestModule>} testModules @param {ReadonlyArray<unknown>} unhandledErrors */
  onTestRunEnd(testModules, unhandledErrors) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      // A module that failed to load has no tests: count it as one failure so it cannot pass unseen.
      if (testModule.state() === 'failed' && [...testModule.children.allTests()].length === 0) failed++;
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    failed += unhandledErrors.length + runFailures().length;
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
