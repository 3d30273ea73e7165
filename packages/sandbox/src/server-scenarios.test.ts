// The stateful scenarios (stateful-scenarios.ts) against the sandbox's node:http servers on 127.0.0.1.
import { startSandbox } from './index.js';
import { statefulScenarios } from './stateful-scenarios.js';

statefulScenarios({
  name: 'its node:http servers',
  async start(options) {
    const sandbox = await startSandbox(options);
    return { control: sandbox, urls: sandbox.urls, close: () => sandbox.close() };
  },
});
