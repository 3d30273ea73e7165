// The stateful scenarios (stateful-scenarios.ts) against the sandbox's MSW handlers in setupServer, at the
// specs' production URLs: nothing leaves the process (MSW errors on any request no handler takes).
import { setupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';
import { createSandboxHandlers } from './msw.js';
import { statefulScenarios } from './stateful-scenarios.js';

const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
afterAll(() => msw.close());

statefulScenarios({
  name: "MSW's setupServer",
  async start(options) {
    const sandbox = createSandboxHandlers(options);
    msw.resetHandlers(...sandbox.handlers);
    return { control: sandbox, urls: sandbox.urls, close: async () => msw.resetHandlers() };
  },
});
