import { defineDocumentedStatusTests, defineScenarioTests } from '../../../tools/testing/contract-suite.mjs';
import driver from '../../../tools/testing/drivers/take-control.mjs';
import * as takeControl from './index.js';

// The spec's example requests, each through the real client, checked against the spec (request and
// response) by the contract recorder and answered with the documented example; `npm run verify` sends the
// same ones to a real server.
defineScenarioTests(driver, takeControl);

// Every documented status of every operation, asked of the mock with `Prefer`, as the client returns it.
defineDocumentedStatusTests(driver, takeControl);
