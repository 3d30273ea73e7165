// A consumer's program, compiled and run by tools/consumer.test.mjs in a project that installed the packed
// clients, the packed sandbox and msw (2 on Node 20, 3 on Node >= 22.12). It prints, as one JSON line, who
// answered each operation of both clients with their defaults: MSW handlers, a replaced globalThis.fetch,
// an undici MockAgent; then shows undiciTransport() bypassing MSW; then the sandbox's MSW handlers.
// msw 2 keeps the body node:http sent with a GET readable beside the request; msw 3 (@mswjs/interceptors
// 0.45) drops it before any handler runs, so there the update's handler sees the call without its body.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandboxHandlers } from '@techapi/sandbox/msw';
import { createTakeControlClient, undiciTransport } from '@techapi/take-control';
import { createTechnicienClient } from '@techapi/technicien';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { getGlobalDispatcher, MockAgent, setGlobalDispatcher } from 'undici';

const MSW_MAJOR = Number(String(createRequire(import.meta.url)('msw/package.json').version).split('.')[0]);
/** Fail on any request no handler takes: the option's name changed in msw 3. */
const strict = (MSW_MAJOR >= 3 ? { onUnhandledFrame: 'error' } : { onUnhandledRequest: 'error' }) as Parameters<ReturnType<typeof setupServer>['listen']>[0];

/** The body node:http sent with a GET, as msw 2 keeps it (`getClientRequestBodyStream`); undefined on msw 3. */
async function getBody(request: Request): Promise<unknown> {
  if (MSW_MAJOR >= 3) return undefined;
  const specifier = '@mswjs/interceptors/utils/node'; // not exported by msw 3's interceptors: no static import
  const { getClientRequestBodyStream } = await import(specifier);
  const chunks: Buffer[] = [];
  for await (const chunk of getClientRequestBodyStream(request)) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const TAKE_CONTROL = 'https://api.us0.swi-rc.com/rest';
const TECHNICIEN = 'https://v3.oceansystem.com/ocean';
const john = { email: 'john.doe@example.com', name: 'John Doe' };
const grant = { emails: ['tech1@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' };
const ENVELOPE = { result: 'SUCCESS', details: {}, errorDetails: null };
const BULK = { result: 'SUCCESS', details: { technicians: { [john.email]: { result: 'SUCCESS' } } }, errorDetails: null };

/** Each operation of both clients, with their defaults; `withUpdate` false leaves out the GET with a body. */
async function everyOperation(withUpdate = true): Promise<string[]> {
  const takeControl = createTakeControlClient({ baseUrl: TAKE_CONTROL, integrationKey: 'consumer-key', retry: false });
  const technicien = createTechnicienClient({ baseUrl: TECHNICIEN, token: 'consumer-token', retry: false });
  const outcome = (result: { error?: { kind: string; status: number } }) => (result.error ? `${result.error.kind} ${result.error.status}` : 'ok');
  const outcomes = [
    outcome(await takeControl.createTechnician(john)),
    (await takeControl.createTechnicians([john])).created.join(),
    outcome(await takeControl.setTechnicianStatus(john.email, 'disabled')),
    outcome(await technicien.authenticate('consumer', 'consumer-password')),
    outcome(await technicien.grantClientAccess(grant)),
  ];
  if (withUpdate) {
    const updated = await technicien.updateTechnicien({ id: 42, passwordValidityDurationNbDays: 30 });
    outcomes.push(updated.error ? outcome(updated) : JSON.stringify(updated.data));
  }
  return outcomes;
}

/** User-written MSW handlers, one per operation; the update's reads the body node:http sent with the GET. */
async function withMsw(): Promise<{ outcomes: string[]; seen: string[] }> {
  const seen: string[] = [];
  const server = setupServer(
    http.post(`${TAKE_CONTROL}/tech`, () => (seen.push('createTechnician'), HttpResponse.json(ENVELOPE))),
    http.post(`${TAKE_CONTROL}/tech/bulk`, () => (seen.push('createTechnicians'), HttpResponse.json(BULK))),
    http.put(`${TAKE_CONTROL}/tech/:email`, () => (seen.push('setTechnicianStatus'), HttpResponse.json(ENVELOPE))),
    http.post(`${TECHNICIEN}/restapi/auth/authenticate2`, () => (seen.push('authenticate'), HttpResponse.json({ token: 't' }))),
    http.post(`${TECHNICIEN}/restapi/technicien/grant-client-access`, () => (seen.push('grantClientAccess'), new HttpResponse(null, { status: 201 }))),
    http.get(`${TECHNICIEN}/restapi/technicien/update`, async ({ request }) => {
      seen.push('updateTechnicien');
      const body = await getBody(request);
      return HttpResponse.json({ ...(body ?? { bodyDropped: true }), nomTechnicien: 'from MSW' });
    }),
  );
  server.listen(strict);
  try {
    return { outcomes: await everyOperation(), seen };
  } finally {
    server.close();
  }
}

/** globalThis.fetch replaced after the clients' modules loaded, as vi.fn()/vi.spyOn do. */
async function withReplacedFetch(): Promise<{ outcomes: string[]; seen: string[] }> {
  const seen: string[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    seen.push(`${init?.method ?? (input as Request).method} ${new URL(String(input instanceof Request ? input.url : input)).pathname}`);
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith('/grant-client-access') || url.includes('/grant-client-access?')) return new Response(null, { status: 201 });
    return Response.json(url.endsWith('/bulk') ? BULK : url.includes('/authenticate2') ? { token: 't' } : ENVELOPE);
  };
  try {
    return { outcomes: await everyOperation(false), seen };
  } finally {
    globalThis.fetch = original;
  }
}

/** An undici MockAgent set with setGlobalDispatcher; the update too once it goes over undiciTransport(). */
async function withMockAgent(): Promise<{ outcomes: string[]; update: string; pending: number }> {
  const previous = getGlobalDispatcher();
  const agent = new MockAgent();
  agent.disableNetConnect();
  const takeControl = agent.get('https://api.us0.swi-rc.com');
  takeControl.intercept({ path: '/rest/tech', method: 'POST' }).reply(200, ENVELOPE);
  takeControl.intercept({ path: '/rest/tech/bulk', method: 'POST' }).reply(200, BULK);
  takeControl.intercept({ path: '/rest/tech/john.doe%40example.com', method: 'PUT' }).reply(200, ENVELOPE);
  const technicien = agent.get('https://v3.oceansystem.com');
  technicien.intercept({ path: '/ocean/restapi/auth/authenticate2', method: 'POST' }).reply(200, { token: 't' });
  technicien.intercept({ path: (path) => path.startsWith('/ocean/restapi/technicien/grant-client-access?'), method: 'POST' }).reply(201, '');
  technicien.intercept({ path: '/ocean/restapi/technicien/update', method: 'GET', body: '{"id":42}' }).reply(200, { id: 42, nomTechnicien: 'from MockAgent' });
  setGlobalDispatcher(agent);
  try {
    const outcomes = await everyOperation(false);
    const fast = createTechnicienClient({ baseUrl: TECHNICIEN, token: 'consumer-token', retry: false, getWithBodyTransport: undiciTransport() });
    const update = JSON.stringify((await fast.updateTechnicien({ id: 42 })).data);
    return { outcomes, update, pending: agent.pendingInterceptors().length };
  } finally {
    setGlobalDispatcher(previous);
    await agent.close();
  }
}

/** undiciTransport() is not seen by MSW: the call reaches the real server (here one on loopback), unreported. */
async function undiciBypassesMsw(): Promise<{ mswSaw: number; serverSaw: number; unhandled: number; answer: unknown }> {
  let serverSaw = 0;
  const target = createServer((request, response) => {
    serverSaw++;
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...ENVELOPE, result: 'FROM THE REAL SERVER' }));
  });
  target.listen(0, '127.0.0.1');
  await once(target, 'listening');
  const baseUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  let mswSaw = 0;
  let unhandled = 0;
  const server = setupServer(http.all(`${baseUrl}/*`, () => (mswSaw++, HttpResponse.json(ENVELOPE))));
  server.events.on('request:unhandled', () => unhandled++);
  server.listen(strict);
  try {
    const fast = createTakeControlClient({ baseUrl, integrationKey: 'consumer-key', transport: undiciTransport(), retry: false });
    const { data } = await fast.createTechnician(john);
    return { mswSaw, serverSaw, unhandled, answer: data?.result };
  } finally {
    server.close();
    target.close();
  }
}

/** The sandbox's MSW handlers at the production URLs: a duplicate conflicts, the GET with a body lands. */
async function withSandboxHandlers(): Promise<{ statuses: (number | undefined)[]; stored: number; updated: unknown }> {
  const sandbox = createSandboxHandlers();
  const server = setupServer(...sandbox.handlers);
  server.listen(strict);
  try {
    const takeControl = createTakeControlClient({ baseUrl: TAKE_CONTROL, integrationKey: 'your-private-key' });
    const first = await takeControl.createTechnician(john);
    const second = await takeControl.createTechnician(john);
    const technicien = createTechnicienClient({ baseUrl: TECHNICIEN, credentials: { login: 'demo', password: 'demo' } });
    const { data, error } = await technicien.updateTechnicien({ id: 1, passwordValidityDurationNbDays: 30 });
    return {
      statuses: [first.response?.status, second.error?.status],
      stored: sandbox.state()['take-control']?.technicians.length ?? -1,
      updated: data?.passwordValidityDurationNbDays ?? error?.message,
    };
  } finally {
    server.close();
  }
}

async function main(): Promise<void> {
  const report = {
    mswMajor: MSW_MAJOR,
    msw: await withMsw(),
    fetch: await withReplacedFetch(),
    mockAgent: await withMockAgent(),
    undiciTransport: await undiciBypassesMsw(),
    sandbox: await withSandboxHandlers(),
  };
  console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
