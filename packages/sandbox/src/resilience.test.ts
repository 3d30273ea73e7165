// The rate limit and the faults, met by the real Take Control client: it waits out Retry-After and loses
// nothing; it retries what is idempotent and never sends a POST twice. Faults are outside the spec on
// purpose (a real server can fail that way), so the calls that meet them run in `contract.invalid`.
import { describe, expect, it } from 'vitest';
import { useContract } from '../../../tools/testing/vitest-contract.mjs';
import * as takeControl from '../../take-control/src/node.js';
import { startSandbox, type Sandbox } from './index.js';

const KEY = 'your-private-key';
const contract = useContract('take-control');

async function withSandbox(options: Parameters<typeof startSandbox>[0], run: (sandbox: Sandbox, client: takeControl.TakeControlClient) => Promise<void>) {
  const sandbox = await startSandbox({ apis: ['take-control'], ...options });
  try {
    const client = takeControl.createTakeControlClient({ baseUrl: sandbox.urls['take-control'] as string, integrationKey: KEY, fetch: contract.fetch, retry: { attempts: 10 } });
    await run(sandbox, client);
  } finally {
    await sandbox.close();
  }
}

const emails = (count: number, prefix: string) => Array.from({ length: count }, (_, index) => `${prefix}.${index}@example.com`);
const stored = (sandbox: Sandbox) => sandbox.state()['take-control']?.technicians ?? [];

describe('rate limit', () => {
  it('past the limit the answer is the vendor 429 with Retry-After, per credential; the sandbox clock opens the next window', async () => {
    await withSandbox({ rateLimit: 2 }, async (sandbox) => {
      const url = `${sandbox.urls['take-control']}/tech/nobody@example.com`;
      const put = (key: string) =>
        contract.fetch(new Request(url, { method: 'PUT', headers: { authorization: `INTEGRATION-KEY ${key}`, 'content-type': 'application/json' }, body: '{"status":"enabled"}' }));
      // Four requests at the start of one second of the sandbox clock (again if a busy machine made them
      // straddle two): two pass, the next two are limited.
      let clockOffset = 0;
      let responses: Response[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const delta = 1000 - ((Date.now() + clockOffset) % 1000);
        clockOffset += delta;
        sandbox.advanceClock(delta);
        const started = Date.now();
        responses = [];
        for (let i = 0; i < 4; i++) responses.push(await put(KEY));
        if (Date.now() - started < 900) break;
      }
      expect(responses.map((response) => response.status)).toEqual([404, 404, 429, 429]);
      const limited = responses[3] as Response;
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(await limited.json()).toEqual({ status: 429, message: 'Too many requests' });
      // A wrong key is refused before it is counted (403, not 429).
      expect((await put('another-key')).status).toBe(403);
      sandbox.advanceClock(1000);
      expect((await put(KEY)).status).toBe(404);
    });
  });

  it('a burst past the limit: the client waits out Retry-After, and every technician is created once', async () => {
    await withSandbox({ rateLimit: 4 }, async (sandbox, client) => {
      const wanted = emails(10, 'burst');
      // The burst starts a second of the sandbox clock, so that it does not straddle two windows.
      sandbox.advanceClock(1000 - (Date.now() % 1000));
      const started = performance.now();
      const results = await Promise.all(wanted.map((email) => client.createTechnician({ email, name: 'Burst' })));
      expect(results.map((result) => result.error)).toEqual(wanted.map(() => undefined));
      expect(stored(sandbox).map((technician) => technician.email).sort()).toEqual([...wanted].sort());
      // 4 pass in the first second and 6 are limited; of those, 4 pass in the next second and 2 are limited
      // again; they pass in the third.
      expect(contract.exchanges.map((exchange) => exchange.status).filter((status) => status === 429)).toHaveLength(8);
      expect(contract.exchanges.filter((exchange) => exchange.status === 409)).toEqual([]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(2000); // Retry-After: 1 was honoured, twice
    });
  }, 30_000);
});

describe('faults (seeded)', () => {
  it('a POST is never sent twice: a 503 creates nothing, a dropped answer still created it, and nothing conflicts', async () => {
    await withSandbox({ faults: { errorRate: 0.25, dropRate: 0.25, seed: 7 } }, async (sandbox, client) => {
      const wanted = emails(24, 'fault');
      const { result: results, exchanges } = await contract.invalid(async () => {
        const outcomes = [];
        for (const email of wanted) outcomes.push(await client.createTechnician({ email, name: 'Fault' }));
        return outcomes;
      });
      expect(exchanges).toHaveLength(wanted.length); // one attempt per call: no POST is retried
      const unavailable = wanted.filter((_, index) => (results[index]?.error?.status as number | undefined) === 503);
      const dropped = wanted.filter((_, index) => results[index]?.error?.kind === 'network');
      const created = wanted.filter((_, index) => results[index]?.error === undefined);
      expect(unavailable.length).toBeGreaterThan(0);
      expect(dropped.length).toBeGreaterThan(0);
      expect(created.length + unavailable.length + dropped.length).toBe(wanted.length);
      // The sandbox did the work of the dropped calls: they exist, once; the 503s did nothing.
      expect(stored(sandbox).map((technician) => technician.email).sort()).toEqual([...created, ...dropped].sort());
      expect(exchanges.filter((exchange) => exchange.status === 409)).toEqual([]);
    });
  });

  it('an idempotent PUT is retried through 503s and dropped answers until it succeeds', async () => {
    await withSandbox({ faults: { errorRate: 0.25, dropRate: 0.25, seed: 11 } }, async (sandbox, client) => {
      const wanted = emails(12, 'status');
      sandbox.seed('take-control', { technicians: wanted.map((email) => ({ email, name: 'Status' })) });
      const { result: results, exchanges } = await contract.invalid(async () => {
        const outcomes = [];
        for (const email of wanted) outcomes.push(await client.setTechnicianStatus(email, 'disabled'));
        return outcomes;
      });
      expect(results.map((result) => result.error)).toEqual(wanted.map(() => undefined));
      expect(exchanges.length).toBeGreaterThan(wanted.length); // some were retried
      expect(exchanges.some((exchange) => exchange.status === 503)).toBe(true);
      expect(exchanges.some((exchange) => exchange.status === 0)).toBe(true); // dropped
      expect(stored(sandbox).every((technician) => technician.status === 'disabled')).toBe(true);
    });
  }, 30_000);

  it('the same seed replays the same faults', async () => {
    const run = async () => {
      const sandbox = await startSandbox({ apis: ['take-control'], faults: { errorRate: 0.3, dropRate: 0.3, seed: 99 } });
      try {
        const outcomes: string[] = [];
        for (let i = 0; i < 20; i++) {
          // A fresh connection each time: a dropped one must not be reused.
          const response = await fetch(`${sandbox.urls['take-control']}/tech`, {
            method: 'POST',
            headers: { authorization: `INTEGRATION-KEY ${KEY}`, 'content-type': 'application/json', connection: 'close' },
            body: JSON.stringify({ email: `replay.${i}@example.com`, name: 'Replay' }),
          }).then(
            (answer) => String(answer.status),
            () => 'dropped',
          );
          outcomes.push(response);
        }
        return outcomes;
      } finally {
        await sandbox.close();
      }
    };
    const first = await run();
    expect(new Set(first)).toEqual(new Set(['200', '503', 'dropped']));
    expect(await run()).toEqual(first);
  });
});
