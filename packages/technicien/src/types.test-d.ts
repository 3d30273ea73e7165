// Type-level contract tests (vitest typecheck): what the spec forbids does not compile, and what the
// client returns has the spec's types. Nothing here runs; `tsc` judges it.
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ApiError,
  AuthenticationResult,
  CallOptions,
  Credentials,
  Technicien,
  TechnicienClient,
  UpdateTechnicienOptions,
  components,
  operations,
} from './index.js';

declare const client: TechnicienClient;
declare const technicien: Technicien;

type DataOf<Method extends (...args: never[]) => Promise<{ data?: unknown }>> = NonNullable<Awaited<ReturnType<Method>>['data']>;
type ErrorOf<Method extends (...args: never[]) => Promise<{ error?: unknown }>> = NonNullable<Awaited<ReturnType<Method>>['error']>;
type JsonBody<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;

describe('requests: what the spec forbids does not compile', () => {
  it('updateTechnicien: the Technicien first, then one options object holding the optional int64 customerId', () => {
    expectTypeOf(client.updateTechnicien).parameter(0).toEqualTypeOf<Technicien>();
    expectTypeOf(client.updateTechnicien).parameter(1).toEqualTypeOf<UpdateTechnicienOptions | undefined>();
    expectTypeOf<UpdateTechnicienOptions['customerId']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<UpdateTechnicienOptions>().toMatchTypeOf<CallOptions>();
    void client.updateTechnicien(technicien);
    void client.updateTechnicien(technicien, { customerId: 1, timeoutMs: 5_000 });
    // @ts-expect-error the old order: customerId first
    void client.updateTechnicien(1, technicien);
    // @ts-expect-error the old order, for a single-client user
    void client.updateTechnicien(undefined, technicien);
    // @ts-expect-error customerId is a number, not a string
    void client.updateTechnicien(technicien, { customerId: '123' });
    // @ts-expect-error `id` is an integer
    void client.updateTechnicien({ id: '42' });
    // @ts-expect-error `techos.suppressionLogique` is a boolean
    void client.updateTechnicien({ techos: { suppressionLogique: 'yes' } });
    // @ts-expect-error `userclients` is a list
    void client.updateTechnicien({ userclients: { client: { id: 1 } } });
  });

  it('authenticate: the login and password, both required, then the call options', () => {
    expectTypeOf(client.authenticate).parameters.toEqualTypeOf<[login: string, password: string, init?: CallOptions]>();
    // @ts-expect-error the password is required
    void client.authenticate('me');
  });

  it('grantClientAccess needs emails, codeExploitant and dateFin', () => {
    // @ts-expect-error `dateFin` is required
    void client.grantClientAccess({ emails: ['tech1@example.com'], codeExploitant: 'EXP01' });
    // @ts-expect-error `emails` is a list of addresses
    void client.grantClientAccess({ emails: 'tech1@example.com', codeExploitant: 'EXP01', dateFin: '2026-12-31' });
    // @ts-expect-error `dateFin` is a Date or a yyyy-MM-dd string, not a number
    void client.grantClientAccess({ emails: ['tech1@example.com'], codeExploitant: 'EXP01', dateFin: 20261231 });
  });

  it('the typed http client wants the documented query types', () => {
    const query = { emails: 'tech1@example.com', codeExploitant: 'EXP01', dateFin: '2026-12-31' };
    void client.http.POST('/restapi/technicien/grant-client-access', { params: { query } });
    // @ts-expect-error `emails` is required in the query
    void client.http.POST('/restapi/technicien/grant-client-access', { params: { query: { codeExploitant: 'EXP01', dateFin: '2026-12-31' } } });
    // @ts-expect-error `codeExploitant` is required in the query
    void client.http.POST('/restapi/technicien/grant-client-access', { params: { query: { emails: 'a@example.com', dateFin: '2026-12-31' } } });
    // @ts-expect-error `dateFin` is required in the query
    void client.http.POST('/restapi/technicien/grant-client-access', { params: { query: { emails: 'a@example.com', codeExploitant: 'EXP01' } } });
    // @ts-expect-error `customerId` is a number
    void client.http.GET('/restapi/technicien/update', { params: { query: { customerId: 'abc' } }, body: technicien });
    // @ts-expect-error the login body needs a password
    void client.http.POST('/restapi/auth/authenticate2', { body: { login: 'me' } });
    // @ts-expect-error the login body needs a login
    void client.http.POST('/restapi/auth/authenticate2', { body: { password: 'secret' } });
    expectTypeOf<Credentials>().toEqualTypeOf<{ login: string; password: string }>();
  });
});

describe('responses: the client returns the spec types', () => {
  it('authenticate resolves with the 200 body: the token is a string', () => {
    expectTypeOf<DataOf<typeof client.authenticate>>().toEqualTypeOf<JsonBody<operations['authenticate']['responses'][200]>>();
    // The vendor marks no field required: each is optional, with the type of the vendor's example.
    expectTypeOf<AuthenticationResult>().toEqualTypeOf<{
      additionalAccountData?: { [key: string]: unknown };
      passwordExpirationRemainingDays?: number;
      token?: string;
    }>();
  });

  it('updateTechnicien resolves with a Technicien, the shape of its body', () => {
    expectTypeOf<DataOf<typeof client.updateTechnicien>>().toEqualTypeOf<JsonBody<operations['updateTechnicien']['responses'][200]>>();
    expectTypeOf<DataOf<typeof client.updateTechnicien>>().toEqualTypeOf<components['schemas']['Technicien']>();
    expectTypeOf<NonNullable<Technicien['userclients']>[number]['client']>().toEqualTypeOf<components['schemas']['Client'] | undefined>();
  });

  it("errors carry the operation's documented statuses (0: no response)", () => {
    expectTypeOf<ErrorOf<typeof client.updateTechnicien>>().toEqualTypeOf<ApiError<400 | 401 | 403 | 404>>();
    expectTypeOf<ErrorOf<typeof client.grantClientAccess>['status']>().toEqualTypeOf<400 | 401 | 403 | 404 | 0>();
    expectTypeOf<ErrorOf<typeof client.authenticate>['status']>().toEqualTypeOf<400 | 401 | 403 | 404 | 0>();
  });
});
