// Gestion des techniciens in the sandbox, through the real client and the contract recorder: the clients'
// contract scenarios, then logins and tokens on the sandbox clock, grants and updates.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import driver from '../../../tools/testing/drivers/technicien.mjs';
import { callOperation, exampleScenarios } from '../../../tools/testing/scenarios.mjs';
import { useContract } from '../../../tools/testing/vitest-contract.mjs';
import * as technicien from '../../technicien/src/node.js';
import { DOCUMENTED_TOKEN_LIFETIME_MS } from '../../../tools/testing/vendor-facts.mjs';
import { startSandbox, type Sandbox } from './index.js';

const contract = useContract('technicien');
let sandbox: Sandbox;
let baseUrl: string;

beforeAll(async () => {
  sandbox = await startSandbox({ apis: ['technicien'] });
  baseUrl = sandbox.urls.technicien as string;
});
afterAll(() => sandbox.close());

/** A client that logs in by itself with the sandbox's default credentials. */
const loggedIn = (credentials = { login: 'demo', password: 'demo' }) =>
  technicien.createTechnicienClient({ baseUrl, credentials, fetch: contract.fetch, getWithBodyTransport: contract.wrapTransport(technicien.undiciTransport()) });
const state = () => sandbox.state().technicien;
const logins = () => contract.exchanges.filter((exchange) => exchange.operationId === 'authenticate');

describe('the contract scenarios (the spec examples, on a sandbox seeded for them)', () => {
  let scenarioSandbox: Sandbox;
  let token: string;
  beforeAll(async () => {
    // The examples log in as "Identifiant quelconque", grant client CLIENT01 and update technicien 0.
    const example = exampleScenarios('technicien').find((scenario) => scenario.operationId === 'authenticate')?.request.body;
    scenarioSandbox = await startSandbox({
      apis: ['technicien'],
      technicien: { ...example, seed: { clients: [{ id: 7, codeExploitant: 'CLIENT01' }], techniciens: [{ id: 0, utilisateur: { emailUti: 'zero@example.com' } }] } },
    });
    const login = await fetch(`${scenarioSandbox.urls.technicien}/restapi/auth/authenticate2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(example) });
    token = (await login.json()).token;
  });
  afterAll(() => scenarioSandbox.close());

  it.each(exampleScenarios('technicien'))('$name gets a documented 2xx, without a violation', async ({ operationId, request }) => {
    const client = driver.createClient(technicien, { baseUrl: scenarioSandbox.urls.technicien as string, key: token, fetch: contract.fetch, wrapTransport: contract.wrapTransport });
    const outcome = await callOperation(driver, client, operationId, request);
    expect(outcome.threw).toBeUndefined();
    expect(outcome.error).toBeUndefined();
    expect(contract.exchanges).toEqual([expect.objectContaining({ operationId, status: expect.any(Number), violations: [] })]);
    expect(contract.exchanges[0]?.status).toBeGreaterThanOrEqual(200);
    expect(contract.exchanges[0]?.status).toBeLessThan(300);
  });
});

describe('login and tokens', () => {
  beforeEach(() => sandbox.reset());

  it('the configured login gets a token; a wrong password gets 401', async () => {
    const client = loggedIn();
    const { data } = await client.authenticate('demo', 'demo');
    expect(data).toEqual({ additionalAccountData: {}, passwordExpirationRemainingDays: 90, token: expect.any(String) });
    const wrong = await client.authenticate('demo', 'not-the-password');
    expect(wrong.error).toMatchObject({ kind: 'http', status: 401, message: 'Bad credentials' });
  });

  it('no token, an unknown token: 401', async () => {
    const unknown = technicien.createTechnicienClient({ baseUrl, token: 'not-a-token', fetch: contract.fetch });
    const result = await unknown.grantClientAccess({ emails: ['tech1@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' });
    expect(result.error).toMatchObject({ status: 401, message: 'Unknown token' });
    const { result: none } = await contract.invalid(() =>
      contract.fetch(new Request(`${baseUrl}/restapi/technicien/grant-client-access?emails=tech1@example.com&codeExploitant=EXP01&dateFin=2026-12-31`, { method: 'POST' })),
    );
    expect(none.status).toBe(401);
    expect(state()?.grants).toEqual([]);
  });

  it('a token lasts 12 hours on the sandbox clock: past them the client gets a 401 and logs in again, once', async () => {
    const client = loggedIn();
    const grant = { emails: ['tech1@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' };
    expect((await client.grantClientAccess(grant)).error).toBeUndefined();
    sandbox.advanceClock(DOCUMENTED_TOKEN_LIFETIME_MS - 60_000); // the vendor's figure, not the sandbox's constant
    expect((await client.grantClientAccess(grant)).error).toBeUndefined();
    expect(logins()).toHaveLength(1);
    sandbox.advanceClock(60_000);
    const [first, second] = await Promise.all([client.grantClientAccess(grant), client.updateTechnicien({ id: 2, passwordValidityDurationNbDays: 30 })]);
    expect(first.error).toBeUndefined();
    expect(second.error).toBeUndefined();
    expect(logins()).toHaveLength(2);
    expect(contract.exchanges.filter((exchange) => exchange.status === 401)).toHaveLength(2); // both calls met the expiry
  });
});

describe('grants and updates', () => {
  beforeEach(() => sandbox.reset());

  it('a grant is recorded per email and shows in the technicien userclients; granting again changes the end date (200)', async () => {
    const client = loggedIn();
    expect((await client.grantClientAccess({ emails: ['tech1@example.com', 'TECH2@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' })).response?.status).toBe(201);
    expect(state()?.grants).toEqual([
      { email: 'tech1@example.com', technicienId: 1, codeExploitant: 'EXP01', dateFin: '2026-12-31' },
      { email: 'TECH2@example.com', technicienId: 2, codeExploitant: 'EXP01', dateFin: '2026-12-31' },
    ]);
    const tech1 = state()?.techniciens.find((candidate) => candidate.id === 1);
    expect(tech1?.userclients).toEqual([
      { client: expect.objectContaining({ codeExploitant: 'EXP01' }), utilisateur: expect.objectContaining({ emailUti: 'tech1@example.com' }), utilisateurClientLightDTO: { id: 1, expirationDate: '2026-12-31' } },
    ]);
    expect((await client.grantClientAccess({ emails: ['tech1@example.com'], codeExploitant: 'EXP01', dateFin: '2027-06-30' })).response?.status).toBe(200);
    expect(state()?.techniciens.find((candidate) => candidate.id === 1)?.userclients?.[0]?.utilisateurClientLightDTO).toEqual({ id: 1, expirationDate: '2027-06-30' });
  });

  it('an unknown email or code exploitant gets 404, and nothing is granted', async () => {
    const client = loggedIn();
    const unknownEmail = await client.grantClientAccess({ emails: ['tech1@example.com', 'nobody@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' });
    expect(unknownEmail.error).toMatchObject({ status: 404, message: 'No technicien with email nobody@example.com' });
    const unknownClient = await client.grantClientAccess({ emails: ['tech1@example.com'], codeExploitant: 'NOPE', dateFin: '2026-12-31' });
    expect(unknownClient.error).toMatchObject({ status: 404, message: 'No client with code exploitant NOPE' });
    expect(state()?.grants).toEqual([]);
  });

  it('update changes the technicien with that id and answers it in the same shape; the state agrees', async () => {
    const client = loggedIn();
    const { data, error } = await client.updateTechnicien({ id: 1, passwordValidityDurationNbDays: 30, utilisateur: { emailUti: 'tech1@example.com', nomUti: 'Renamed' } });
    expect(error).toBeUndefined();
    expect(data).toMatchObject({ id: 1, idUtilisateur: 101, passwordValidityDurationNbDays: 30, utilisateur: { emailUti: 'tech1@example.com', nomUti: 'Renamed' } });
    expect(state()?.techniciens.find((candidate) => candidate.id === 1)).toEqual(data);
  });

  it('invalid input gets the spec\'s 400 naming what is wrong, on each operation, and changes nothing', async () => {
    const client = loggedIn();
    const token = (await client.authenticate('demo', 'demo')).data?.token as string;
    const badLogin = await contract.invalid(() => client.authenticate('demo', undefined as never));
    const badGrant = await contract.invalid(() =>
      contract.fetch(new Request(`${baseUrl}/restapi/technicien/grant-client-access?emails=tech1@example.com&codeExploitant=EXP01&dateFin=2026-02-30`, { method: 'POST', headers: { 'x-auth-token': token } })),
    );
    const badUpdate = await contract.invalid(() => client.updateTechnicien({ id: 1, passwordValidityDurationNbDays: 'thirty' } as never));
    expect(badLogin.result.error).toMatchObject({ kind: 'http', status: 400, body: { status: 400, error: 'BAD REQUEST' } });
    expect(badLogin.result.error?.message).toBe("Invalid request: body /password must have required property 'password'");
    expect([badGrant.result.status, await badGrant.result.json()]).toEqual([400, { status: 400, error: 'BAD REQUEST', message: 'Invalid request: query dateFin must match format "date"' }]);
    expect(badUpdate.result.error).toMatchObject({ status: 400, message: 'Invalid request: body /passwordValidityDurationNbDays must be integer' });
    expect(state()?.grants).toEqual([]);
    expect(state()?.techniciens.find((candidate) => candidate.id === 1)?.passwordValidityDurationNbDays).toBe(90);
  });

  it('update of an unknown id gets 404', async () => {
    const client = loggedIn();
    expect((await client.updateTechnicien({ id: 404, passwordValidityDurationNbDays: 1 })).error).toMatchObject({ status: 404, message: 'No technicien with id 404' });
  });
});
