// Refusals that say how to fix the request, each still valid for the spec's error schema (the contract
// recorder checks every answer); the vendor's own wording kept where it gives one. Then the partial Gestion
// update: nested objects merged, arrays replaced, and never a technicien stranded without its email.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useContract } from '../../../tools/testing/vitest-contract.mjs';
import * as technicien from '../../technicien/src/node.js';
import { startSandbox, type Sandbox } from './index.js';

const KEY = 'your-private-key';
const takeControlContract = useContract('take-control');
const technicienContract = useContract('technicien');
let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  const login = await fetch(`${sandbox.urls.technicien}/restapi/auth/authenticate2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"login":"demo","password":"demo"}' });
  token = (await login.json()).token;
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

/** Sends a request that breaks the contract on purpose: its status and message, and any violation in the answer. */
async function refused(contract: typeof takeControlContract, request: Request) {
  const { result, exchanges } = await contract.invalid(() => contract.fetch(request));
  const answerViolations = exchanges.flatMap((exchange) => exchange.violations.filter((violation) => violation.direction === 'response'));
  return { status: result.status, message: ((await result.json()) as { message: string }).message, answerViolations };
}

const takeControl = (path: string, init: RequestInit) => new Request(`${sandbox.urls['take-control']}${path}`, init);
const gestion = (path: string, init: RequestInit = {}) => new Request(`${sandbox.urls.technicien}${path}`, { ...init, headers: { 'x-auth-token': token, ...init.headers } });
const json = { 'content-type': 'application/json' };

describe('refusals that say how to fix', () => {
  it.each([
    ['a key without the prefix', { authorization: KEY }, 403, 'Invalid integration key: send it as Authorization: INTEGRATION-KEY <key>'],
    ['a key as Bearer', { authorization: `Bearer ${KEY}` }, 403, 'Invalid integration key: send it as Authorization: INTEGRATION-KEY <key>'],
    ['a key in an INTEGRATION-KEY header', { 'integration-key': KEY }, 401, 'Missing integration key: send it as Authorization: INTEGRATION-KEY <key>, not in an INTEGRATION-KEY header'],
    ['a wrong key in the right form (the vendor wording)', { authorization: 'INTEGRATION-KEY not-the-key' }, 403, 'Invalid integration key'],
  ])('Take Control, %s: %i', async (_name, headers, status, message) => {
    const answer = await refused(takeControlContract, takeControl('/tech', { method: 'POST', headers: { ...json, ...headers }, body: '{"email":"a@example.com","name":"A"}' }));
    expect(answer).toEqual({ status, message, answerViolations: [] });
  });

  it('Take Control: an enum lists its values; the empty email keeps the vendor wording', async () => {
    const auth = { ...json, authorization: `INTEGRATION-KEY ${KEY}` };
    expect(await refused(takeControlContract, takeControl('/tech/a@example.com', { method: 'PUT', headers: auth, body: '{"status":"off"}' }))).toEqual({
      status: 400,
      message: 'Invalid request: body /status must be equal to one of the allowed values: "enabled", "disabled"',
      answerViolations: [],
    });
    expect(await refused(takeControlContract, takeControl('/tech', { method: 'POST', headers: auth, body: '{"email":"","name":"A"}' }))).toEqual({
      status: 400,
      message: 'Invalid request: Email must not be empty',
      answerViolations: [],
    });
    expect(await refused(takeControlContract, takeControl('/tech', { method: 'POST', headers: auth }))).toEqual({ status: 400, message: 'Invalid request: a body is required', answerViolations: [] });
  });

  it('Gestion: a missing body, blank emails, and emails joined with "," instead of ";"', async () => {
    expect(await refused(technicienContract, gestion('/restapi/technicien/update'))).toEqual({ status: 400, message: 'Invalid request: a body is required', answerViolations: [] });
    expect(await refused(technicienContract, gestion('/restapi/technicien/grant-client-access?emails=tech1@example.com;%20&codeExploitant=EXP01&dateFin=2026-12-31', { method: 'POST' }))).toEqual({
      status: 400,
      message: "Invalid request: query emails must be one or more addresses separated by ';', none of them blank",
      answerViolations: [],
    });
    // Valid for the spec (an address may hold a ','), but no technicien has it: the 404 says which separator.
    const comma = await technicienContract.fetch(gestion('/restapi/technicien/grant-client-access?emails=tech1@example.com,tech2@example.com&codeExploitant=EXP01&dateFin=2026-12-31', { method: 'POST' }));
    expect([comma.status, (await comma.json()).message]).toEqual([404, "No technicien with email tech1@example.com,tech2@example.com: separate several emails with ';', not ','"]);
    expect(sandbox.state().technicien?.grants).toEqual([]);
  });
});

describe('a partial Gestion update keeps what it was not given', () => {
  const client = () =>
    technicien.createTechnicienClient({
      baseUrl: sandbox.urls.technicien as string,
      token,
      fetch: technicienContract.fetch,
      getWithBodyTransport: technicienContract.wrapTransport(technicien.undiciTransport()),
    });
  const tech1 = () => sandbox.state().technicien?.techniciens.find((candidate) => candidate.id === 1);

  it("the technicien README's example, then a grant for that technicien's email: 201", async () => {
    const before = tech1();
    const { data, error } = await client().updateTechnicien({ id: 1, utilisateur: { prenomUti: 'Amélie' } });
    expect(error).toBeUndefined();
    expect(data).toEqual({ ...before, utilisateur: { ...before?.utilisateur, prenomUti: 'Amélie' } });
    expect(tech1()).toEqual(data);
    expect((await client().grantClientAccess({ emails: ['tech1@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' })).response?.status).toBe(201);
  });

  it('nested objects are merged at every depth; arrays are replaced whole', async () => {
    await client().grantClientAccess({ emails: ['tech1@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' });
    expect(tech1()?.userclients).toHaveLength(1);
    const { data } = await client().updateTechnicien({ id: 1, utilisateur: { individu: { gsm: '0600000000' } }, userclients: [] });
    expect(data?.utilisateur?.individu).toEqual({ id: 201, email: 'tech1@example.com', nomInd: 'Technicien 1', prenomInd: 'Demo', suppressionLogique: false, gsm: '0600000000' });
    expect(data?.utilisateur?.emailUti).toBe('tech1@example.com');
    expect(data?.userclients).toEqual([]);
  });

  it('an update that would leave the technicien without its email is refused (400) and changes nothing; one that names a new email changes it', async () => {
    const before = tech1();
    // Valid for the spec, and so is the 400 (the recorder fails the test on any violation).
    const blank = await client().updateTechnicien({ id: 1, utilisateur: { emailUti: '', individu: { email: '' } } });
    expect(blank.error).toMatchObject({
      status: 400,
      message:
        'Invalid request: this update would leave technicien 1 without the email it is found by (tech1@example.com); send utilisateur.emailUti to change it, or leave it out to keep it',
    });
    expect(tech1()).toEqual(before);
    const renamed = await client().updateTechnicien({ id: 1, utilisateur: { emailUti: 'amelie@example.com' } });
    expect(renamed.data?.utilisateur?.emailUti).toBe('amelie@example.com');
    expect((await client().grantClientAccess({ emails: ['amelie@example.com'], codeExploitant: 'EXP01', dateFin: '2026-12-31' })).response?.status).toBe(201);
  });
});
