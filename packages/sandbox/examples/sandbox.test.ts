// A test file of the suite whose globalSetup is vitest-global-setup.ts. Tests run in workers, apart from the
// globalSetup's process: they reset and read the sandbox over HTTP.
import { createTakeControlClient } from '@techapi/take-control';
import { beforeEach, expect, inject, it } from 'vitest';

const baseUrl = inject('sandboxUrls')['take-control'] as string;
const client = createTakeControlClient({ baseUrl, integrationKey: 'your-private-key' });

beforeEach(async () => {
  await fetch(`${baseUrl}/__sandbox/reset`, { method: 'POST' });
});

it('refuses a second technician with the same email', async () => {
  expect((await client.createTechnician({ email: 'jane@example.com', name: 'Jane' })).error).toBeUndefined();
  const again = await client.createTechnician({ email: 'JANE@example.com', name: 'Jane' });
  expect(again.error?.status).toBe(409);
  const state = await (await fetch(`${baseUrl}/__sandbox/state`)).json();
  expect(state.technicians).toHaveLength(1);
});
