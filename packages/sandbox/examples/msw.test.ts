// A test file with the sandbox in MSW: no server, no port; the handlers answer at the production URLs.
import { createSandboxHandlers } from '@techapi/sandbox/msw';
import { createTakeControlClient } from '@techapi/take-control';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';

const sandbox = createSandboxHandlers({ apis: ['take-control'] });
const server = setupServer(...sandbox.handlers);
const client = createTakeControlClient({ baseUrl: 'https://api.us0.swi-rc.com/rest', integrationKey: 'your-private-key' });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => sandbox.reset());
afterAll(() => server.close());

it('refuses a second technician with the same email', async () => {
  expect((await client.createTechnician({ email: 'jane@example.com', name: 'Jane' })).error).toBeUndefined();
  const again = await client.createTechnician({ email: 'JANE@example.com', name: 'Jane' });
  expect(again.error?.status).toBe(409);
  expect(sandbox.state()['take-control']?.technicians).toHaveLength(1);
});
