import { defineFuzzTests } from '../../../tools/testing/contract-suite.mjs';
import driver from '../../../tools/testing/drivers/technicien.mjs';
import * as technicien from './node.js';

// Bodies and parameters built from the spec's schemas, valid and broken, through the real client
// against the mock (seeded; FUZZ_RUNS=5000 for a longer search).
defineFuzzTests(driver, technicien);
