// The sandbox's stateful scenarios, one list for every carrier: the node:http servers (server-scenarios.test.ts)
// and the MSW handlers (msw-scenarios.test.ts) run the same tests, through the real clients created with their
// defaults (the Node entries: global fetch, and node:http for the GET with a body), so a carrier that behaved
// otherwise fails here. Each exchange is logged by a fetch that calls global fetch, or by the GET's transport.
import { describe, expect, it } from 'vitest';
import * as takeControl from '../../take-control/src/node.js';
import * as technicien from '../../technicien/src/node.js';
import type { Transport } from '../../client-core/src/index.js';
import type { ApiName, CoreOptions, SandboxControl } from './core.js';
import { TOKEN_LIFETIME_MS } from './technicien/index.js';

/** A sandbox on some carrier, started for one test. */
export interface CarriedSandbox {
  control: SandboxControl;
  /** Each API's base URL, as the clients are given it. */
  urls: Partial<Record<ApiName, string>>;
  close(): Promise<void>;
}

export interface Carrier {
  name: string;
  start(options: CoreOptions): Promise<CarriedSandbox>;
}

const KEY = 'your-private-key';

/** One exchange: `METHOD /path -> status` (0 for a network error). */
type Logged = string;

/** Client options that log each exchange: a fetch that calls global fetch (the default's), and the GET's own transport wrapped. */
function logging(log: Logged[]) {
  const note = (method: string, url: string, status: number) => log.push(`${method} ${new URL(url).pathname} -> ${status}`);
  const fetchLogged = (request: Request) =>
    fetch(request).then(
      (response) => (note(request.method, request.url, response.status), response),
      (error: unknown) => {
        note(request.method, request.url, 0);
        throw error;
      },
    );
  const getWithBody: Transport = technicien.nodeHttpTransport();
  const getWithBodyLogged: Transport = {
    ...getWithBody,
    fetch: (request, options) =>
      getWithBody.fetch(request, options).then((response) => (note(request.method, request.url, response.status), response)),
  };
  return { fetch: fetchLogged, getWithBodyTransport: getWithBodyLogged };
}

async function withSandbox(carrier: Carrier, options: CoreOptions, run: (sandbox: CarriedSandbox, log: Logged[]) => Promise<void>) {
  const sandbox = await carrier.start(options);
  try {
    await run(sandbox, []);
  } finally {
    await sandbox.close();
  }
}

export function statefulScenarios(carrier: Carrier): void {
  const takeControlClient = (sandbox: CarriedSandbox, log: Logged[], extra: Partial<takeControl.TakeControlClientOptions> = {}) =>
    takeControl.createTakeControlClient({ baseUrl: sandbox.urls['take-control'] as string, integrationKey: KEY, fetch: logging(log).fetch, ...extra });
  const stored = (sandbox: CarriedSandbox) => sandbox.control.state()['take-control']?.technicians ?? [];

  describe(`the sandbox's stateful scenarios, carried by ${carrier.name}`, () => {
    it('create, then the same email in another case: the vendor 409, and one technician stored', async () => {
      await withSandbox(carrier, { apis: ['take-control'] }, async (sandbox, log) => {
        const client = takeControlClient(sandbox, log);
        expect((await client.createTechnician({ email: 'john.doe@example.com', name: 'John Doe' })).data).toEqual({ result: 'SUCCESS', details: {}, errorDetails: null });
        const again = await client.createTechnician({ email: 'John.Doe@Example.com', name: 'John Doe' });
        expect(again.error).toMatchObject({ kind: 'http', status: 409, message: 'Email already exists' });
        expect(stored(sandbox).map((technician) => technician.email)).toEqual(['john.doe@example.com']);
        expect(log).toEqual(['POST /rest/tech -> 200', 'POST /rest/tech -> 409'].map(withBase(sandbox, 'take-control')));
        expect(journal(sandbox)).toEqual([
          ['createTechnician', 200],
          ['createTechnician', 409],
        ]);
      });
    });

    it('bulk with repeats: the new ones created once, the existing and the repeated ones failed in their entries', async () => {
      await withSandbox(carrier, { apis: ['take-control'] }, async (sandbox, log) => {
        const client = takeControlClient(sandbox, log);
        await client.createTechnician({ email: 'old@example.com', name: 'Old' });
        const report = await client.createTechnicians([
          { email: 'new@example.com', name: 'New' },
          { email: 'old@example.com', name: 'Old again' },
          { email: 'NEW@example.com', name: 'Repeated' },
          { email: 'other@example.com', name: 'Other' },
        ]);
        expect(report.created).toEqual(['new@example.com', 'other@example.com']);
        expect(report.failed.map((failure) => [failure.email, failure.reason])).toEqual([
          ['old@example.com', 'Email already exists'],
          ['NEW@example.com', expect.stringMatching(/^duplicate of technicians\[0\]/)],
        ]);
        expect(stored(sandbox).map((technician) => technician.email)).toEqual(['old@example.com', 'new@example.com', 'other@example.com']);
      });
    });

    it('disable, then enable: the state shows each status; an unknown technician gets 404', async () => {
      await withSandbox(carrier, { apis: ['take-control'] }, async (sandbox, log) => {
        const client = takeControlClient(sandbox, log);
        sandbox.control.seed('take-control', { technicians: [{ email: 'jane@example.com', name: 'Jane' }] });
        expect((await client.setTechnicianStatus('jane@example.com', 'disabled')).error).toBeUndefined();
        expect(stored(sandbox).map((technician) => technician.status)).toEqual(['disabled']);
        expect((await client.setTechnicianStatus('JANE@example.com', 'enabled')).error).toBeUndefined();
        expect(stored(sandbox).map((technician) => technician.status)).toEqual(['enabled']);
        expect((await client.setTechnicianStatus('nobody@example.com', 'disabled')).error).toMatchObject({ status: 404, message: 'Technician not found' });
        sandbox.control.reset();
        expect(stored(sandbox).map((technician) => [technician.email, technician.status])).toEqual([['jane@example.com', 'enabled']]);
      });
    });

    it('a token past its 12 hours: both calls get a 401, the client logs in again exactly once, the update (a GET with a body) lands', async () => {
      await withSandbox(carrier, { apis: ['technicien'] }, async (sandbox, log) => {
        const client = technicien.createTechnicienClient({ baseUrl: sandbox.urls.technicien as string, credentials: { login: 'demo', password: 'demo' }, ...logging(log) });
        const grant = { emails: ['tech1@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' };
        expect((await client.grantClientAccess(grant)).response?.status).toBe(201);
        sandbox.control.advanceClock(TOKEN_LIFETIME_MS);
        const [granted, updated] = await Promise.all([
          client.grantClientAccess({ ...grant, dateFin: '2027-06-30' }),
          client.updateTechnicien({ id: 1, passwordValidityDurationNbDays: 30 }),
        ]);
        expect(granted.response?.status).toBe(200);
        expect(updated.data).toMatchObject({ id: 1, passwordValidityDurationNbDays: 30 });
        const logins = log.filter((line) => line.includes('/restapi/auth/authenticate2'));
        expect(logins).toEqual([expect.stringMatching(/-> 200$/), expect.stringMatching(/-> 200$/)]);
        expect(log.filter((line) => line.endsWith('-> 401'))).toHaveLength(2);
        // The two calls race each other, so only the first two requests have one order.
        const listed = journal(sandbox);
        expect(listed.slice(0, 2)).toEqual([
          ['authenticate', 200],
          ['grantClientAccess', 201],
        ]);
        expect(listed.slice(2).sort()).toEqual([
          ['authenticate', 200],
          ['grantClientAccess', 200],
          ['grantClientAccess', 401],
          ['updateTechnicien', 200],
          ['updateTechnicien', 401],
        ]);
        const state = sandbox.control.state().technicien;
        expect(state?.grants.map((entry) => [entry.email, entry.dateFin])).toEqual([['tech1@example.com', '2027-06-30']]);
        expect(state?.techniciens.find((entry) => entry.id === 1)?.passwordValidityDurationNbDays).toBe(30);
      });
    });

    it('a burst past the rate limit: the client waits out Retry-After, and every technician is created exactly once', async () => {
      await withSandbox(carrier, { apis: ['take-control'], rateLimit: 4 }, async (sandbox, log) => {
        const client = takeControlClient(sandbox, log, { retry: { attempts: 10 } });
        const wanted = Array.from({ length: 10 }, (_, index) => `burst.${index}@example.com`);
        // The burst starts a second of the sandbox clock (a fresh sandbox: its clock is Date.now()), so that it
        // does not straddle two windows.
        sandbox.control.advanceClock(1000 - (Date.now() % 1000));
        const started = performance.now();
        const results = await Promise.all(wanted.map((email) => client.createTechnician({ email, name: 'Burst' })));
        expect(results.map((result) => result.error)).toEqual(wanted.map(() => undefined));
        expect(stored(sandbox).map((technician) => technician.email).sort()).toEqual([...wanted].sort());
        expect(log.filter((line) => line.endsWith('-> 200'))).toHaveLength(wanted.length);
        // 4 pass in the first second and 6 are limited; of those, 4 pass in the next second and 2 are limited
        // again; they pass in the third.
        expect(log.filter((line) => line.endsWith('-> 429'))).toHaveLength(8);
        expect(performance.now() - started).toBeGreaterThanOrEqual(2000); // Retry-After: 1 was honoured, twice
        expect(log.filter((line) => !/-> (200|429)$/.test(line))).toEqual([]);
      });
    }, 30_000);

    it('failNext(createTechnician, 429): the client waits out Retry-After and sends it once more; one technician, no finding', async () => {
      await withSandbox(carrier, { apis: ['take-control'] }, async (sandbox, log) => {
        const client = takeControlClient(sandbox, log);
        sandbox.control.failNext('createTechnician', 429);
        const created = await client.createTechnician({ email: 'john.doe@example.com', name: 'John Doe' });
        expect([created.error, created.response?.status]).toEqual([undefined, 200]);
        expect(sandbox.control.requests().map((entry) => [entry.operationId, entry.status, entry.fault])).toEqual([
          ['createTechnician', 429, '429'],
          ['createTechnician', 200, null],
        ]);
        expect(log).toEqual(['POST /rest/tech -> 429', 'POST /rest/tech -> 200'].map(withBase(sandbox, 'take-control')));
        expect(sandbox.control.findings()).toEqual([]);
        expect(stored(sandbox).map((technician) => technician.email)).toEqual(['john.doe@example.com']);
      });
    });

    it('a dropped connection is a network error: a POST is not sent again, an idempotent call (the GET with a body too) is', async () => {
      await withSandbox(carrier, {}, async (sandbox, log) => {
        const client = takeControlClient(sandbox, log);
        sandbox.control.failNext('createTechnician', 'drop-after');
        sandbox.control.failNext('setTechnicianStatus', 'drop-before');
        const lost = await client.createTechnician({ email: 'john.doe@example.com', name: 'John Doe' });
        expect([lost.error?.kind, lost.error?.attempts]).toEqual(['network', 1]);
        const disabled = await client.setTechnicianStatus('john.doe@example.com', 'disabled');
        expect([disabled.error, disabled.response?.status]).toEqual([undefined, 200]);
        expect(stored(sandbox).map((technician) => [technician.email, technician.status])).toEqual([['john.doe@example.com', 'disabled']]);

        const oc = technicien.createTechnicienClient({ baseUrl: sandbox.urls.technicien as string, credentials: { login: 'demo', password: 'demo' }, ...logging(log) });
        sandbox.control.failNext('grantClientAccess', 'drop-after');
        sandbox.control.failNext('updateTechnicien', 'drop-before');
        const grant = await oc.grantClientAccess({ emails: ['tech1@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' });
        expect([grant.error?.kind, grant.error?.attempts]).toEqual(['network', 1]);
        const updated = await oc.updateTechnicien({ id: 1, passwordValidityDurationNbDays: 30 });
        expect(updated.data).toMatchObject({ id: 1, passwordValidityDurationNbDays: 30 });
        expect(sandbox.control.requests().map((entry) => [entry.operationId, entry.status, entry.fault])).toEqual([
          ['createTechnician', 200, 'drop-after'],
          ['setTechnicianStatus', null, 'drop-before'],
          ['setTechnicianStatus', 200, null],
          ['authenticate', 200, null],
          ['grantClientAccess', 201, 'drop-after'],
          ['updateTechnicien', null, 'drop-before'],
          ['updateTechnicien', 200, null],
        ]);
        expect(log.filter((line) => line.endsWith('-> 0'))).toHaveLength(3); // the GET's transport logs only answers
        expect(sandbox.control.state().technicien?.grants.map((entry) => entry.email)).toEqual(['tech1@example.com']);
      });
    });
  });
}

/** The journal as (operationId, status) pairs, in arrival order. */
const journal = (sandbox: CarriedSandbox) => sandbox.control.requests().map((entry) => [entry.operationId, entry.status]);

/** The logged path carries the base URL's path: `/rest/tech` at the production URL, `/tech` on a server at the root. */
function withBase(sandbox: CarriedSandbox, api: ApiName) {
  const basePath = new URL(sandbox.urls[api] as string).pathname.replace(/\/+$/, '');
  return (line: string) => line.replace(/ \/rest\//, ` ${basePath}/`);
}
