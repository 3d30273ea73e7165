// @ts-check
// Failures a run-level check finds (a reporter, not a test): e.g. a (operation, status) pair no contract
// test exercised. The summary reporter counts them in its `N failed`, so CI cannot miss them.

/** @type {string[]} */
const failures = [];

/** @param {string[]} descriptions  one per failed item */
export function addRunFailures(descriptions) {
  failures.push(...descriptions);
  if (descriptions.length > 0) process.exitCode = 1;
}

export function runFailures() {
  return [...failures];
}

export function resetRunFailures() {
  failures.length = 0;
}
