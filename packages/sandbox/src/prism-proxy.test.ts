// Take Control's sandbox behind Prism's validation proxy (`prism proxy <spec> <sandbox> --errors`): Prism
// checks every request and every answer against the same bundled spec, independently of our validator,
// and turns any violation into its own error. The contract recorder fails the test on any finding, Prism's
// or ours. (Gestion's update, a GET with a body, cannot go through Prism's proxy: it refuses it, 501.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getApi } from '../../../tools/apis.mjs';
import { startProxy, type MockServer } from '../../../tools/mock-server.mjs';
import driver from '../../../tools/testing/drivers/take-control.mjs';
import { callOperation, exampleScenarios } from '../../../tools/testing/scenarios.mjs';
import { useContract } from '../../../tools/testing/vitest-contract.mjs';
import * as takeControl from '../../take-control/src/node.js';
import { startSandbox, type Sandbox } from './index.js';

const KEY = 'your-private-key';
const contract = useContract('take-control');
let sandbox: Sandbox;
let proxy: MockServer;
let client: takeControl.TakeControlClient;

beforeAll(async () => {
  sandbox = await startSandbox({ apis: ['take-control'], rateLimit: 3 });
  proxy = await startProxy({ specFile: getApi('take-control').bundledYaml, target: sandbox.urls['take-control'] as string });
  client = takeControl.createTakeControlClient({ baseUrl: proxy.url, integrationKey: KEY, fetch: contract.fetch, retry: false });
}, 60_000);
afterAll(async () => {
  await proxy?.stop();
  await sandbox?.close();
});

/** Moves the sandbox clock to the start of its next second: each step has a fresh rate-limit window. */
let clockOffset = 0;
const nextWindow = () => {
  const delta = 1000 - ((Date.now() + clockOffset) % 1000);
  clockOffset += delta;
  sandbox.advanceClock(delta);
};

describe('Prism agrees with the sandbox, through its validation proxy', () => {
  it.each(exampleScenarios('take-control'))('$name: a documented 2xx, with no violation found by Prism or by us', async ({ operationId, request }) => {
    nextWindow();
    const outcome = await callOperation(driver, driver.createClient(takeControl, { baseUrl: proxy.url, key: KEY, fetch: contract.fetch, wrapTransport: (t) => t }), operationId, request);
    expect(outcome.error).toBeUndefined();
    expect(contract.exchanges.map((exchange) => exchange.status)).toEqual([200]);
  });

  it('the stateful answers: 409 on a second create, a per-item bulk failure, 404 for an unknown technician, 403 for a wrong key', async () => {
    nextWindow();
    expect((await client.createTechnician({ email: 'proxy@example.com', name: 'Proxy' })).error).toBeUndefined();
    expect((await client.createTechnician({ email: 'proxy@example.com', name: 'Proxy' })).error).toMatchObject({ status: 409, message: 'Email already exists' });
    nextWindow();
    const report = await client.createTechnicians([
      { email: 'proxy@example.com', name: 'Proxy' },
      { email: 'proxy2@example.com', name: 'Proxy Two' },
    ]);
    expect(report.created).toEqual(['proxy2@example.com']);
    expect(report.failed).toEqual([expect.objectContaining({ email: 'proxy@example.com', reason: 'Email already exists' })]);
    expect((await client.setTechnicianStatus('nobody@example.com', 'disabled')).error).toMatchObject({ status: 404, message: 'Technician not found' });
    nextWindow();
    const wrongKey = takeControl.createTakeControlClient({ baseUrl: proxy.url, integrationKey: 'wrong', fetch: contract.fetch, retry: false });
    expect((await wrongKey.setTechnicianStatus('proxy@example.com', 'disabled')).error).toMatchObject({ status: 403, message: 'Invalid integration key' });
    expect(contract.exchanges.map((exchange) => exchange.status)).toEqual([200, 409, 200, 404, 403]);
    expect(contract.exchanges.every((exchange) => !exchange.prismAnswered)).toBe(true);
  });

  it('past the rate limit, the 429 with Retry-After passes Prism too', async () => {
    // Four calls in one second of the sandbox clock (again if a busy machine made them straddle two).
    let statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      nextWindow();
      const started = Date.now();
      statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await client.setTechnicianStatus('proxy@example.com', i % 2 ? 'enabled' : 'disabled')).error?.status ?? 200);
      if (Date.now() - started < 900) break;
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(contract.exchanges.at(-1)?.violations).toEqual([]);
  });
});
